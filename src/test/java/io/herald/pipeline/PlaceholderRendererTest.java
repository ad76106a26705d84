package io.herald.pipeline;

import static io.herald.pipeline.PlaceholderRenderer.Target.HEADER;
import static io.herald.pipeline.PlaceholderRenderer.Target.HTML;
import static io.herald.pipeline.PlaceholderRenderer.Target.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.pipeline.PlaceholderRenderer.Rendered;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholderRendererTest {

    private static final Map<String, String> NO_DEFAULTS = Map.of();

    @Test
    void seedExampleLeavesTheMissingPlaceholderAsWritten() {
        String template = "Hi %recipient.name% %recipient.surname%. You received a package with id: "
                + "%recipient.parcel_id%. The order was placed on %recipient.date%.";
        Map<String, String> params = Map.of("name", "John", "surname", "Doe", "parcel_id", "US12345ABC");

        Rendered r = PlaceholderRenderer.render(template, params, NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo(
                "Hi John Doe. You received a package with id: US12345ABC. The order was placed on %recipient.date%.");
        assertThat(r.missing()).containsExactly("date");
    }

    @Test
    void everyPlaceholderResolvedGivesNoMissing() {
        Rendered r = PlaceholderRenderer.render("Dear %recipient.first_name%, your email is %recipient.email%",
                Map.of("first_name", "Ann", "email", "ann@example.com"), NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("Dear Ann, your email is ann@example.com");
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void missingNamesAreSortedAndDeduplicated() {
        Rendered r = PlaceholderRenderer.render("%recipient.zeta% %recipient.alpha% %recipient.zeta% %recipient.mid%",
                Map.of(), NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("%recipient.zeta% %recipient.alpha% %recipient.zeta% %recipient.mid%");
        assertThat(r.missing()).containsExactly("alpha", "mid", "zeta");
        assertThat(String.join(", ", r.missing())).isEqualTo("alpha, mid, zeta");
    }

    @Test
    void nullParameterValueCountsAsMissing() {
        Map<String, String> params = new HashMap<>();
        params.put("name", null);

        Rendered r = PlaceholderRenderer.render("Hi %recipient.name%", params, NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("Hi %recipient.name%");
        assertThat(r.missing()).containsExactly("name");
    }

    @Test
    void emptyStringIsAValue() {
        Rendered r = PlaceholderRenderer.render("[%recipient.name%]", Map.of("name", ""), NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("[]");
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void extraParametersAreIgnored() {
        Rendered r = PlaceholderRenderer.render("Hello %recipient.a%",
                Map.of("a", "1", "b", "2", "anything_else_here", "Doe"), NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("Hello 1");
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void namesMayContainDigitsUnderscoresDashesAndDots() {
        Rendered r = PlaceholderRenderer.render("%recipient.a_1%|%recipient.b-2%|%recipient.c.3%|%recipient.DoB%",
                Map.of("a_1", "x", "b-2", "y", "c.3", "z", "DoB", "w"), NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("x|y|z|w");
    }

    @Test
    void namesAreCaseSensitive() {
        Rendered r = PlaceholderRenderer.render("%recipient.Name%", Map.of("name", "x"), NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("%recipient.Name%");
        assertThat(r.missing()).containsExactly("Name");
    }

    @Test
    void textThatOnlyLooksLikeAPlaceholderIsLeftAloneAndNotReported() {
        String template = "100% sure, %recipient.% %recipient.a b% %recipient% %other.name% ${first_name} ${unknown} $x";

        Rendered r = PlaceholderRenderer.render(template, Map.of("first_name", "John", "unknown", "u"),
                NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo(template);
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void adjacentPlaceholdersAreBothReplaced() {
        Rendered r = PlaceholderRenderer.render("%recipient.a%%recipient.b%", Map.of("a", "1", "b", "2"),
                NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("12");
    }

    @Test
    void campaignTagsUseDefaults() {
        Map<String, String> defaults = Map.of(
                "permission_reminder", "You signed up at our shop.",
                "unsubscribe", "https://example.com/u",
                "company_address", "1 Main St");

        Rendered r = PlaceholderRenderer.render("${permission_reminder} ${unsubscribe} ${company_address}",
                Map.of(), defaults, TEXT);

        assertThat(r.text()).isEqualTo("You signed up at our shop. https://example.com/u 1 Main St");
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void parameterOverridesCampaignDefault() {
        Rendered r = PlaceholderRenderer.render("${unsubscribe}", Map.of("unsubscribe", "https://mine/u"),
                Map.of("unsubscribe", "https://default/u"), TEXT);

        assertThat(r.text()).isEqualTo("https://mine/u");
    }

    @Test
    void nullParameterFallsBackToDefault() {
        Map<String, String> params = new HashMap<>();
        params.put("company_address", null);

        Rendered r = PlaceholderRenderer.render("${company_address}", params, Map.of("company_address", "HQ"), TEXT);

        assertThat(r.text()).isEqualTo("HQ");
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void campaignTagWithoutParameterOrDefaultIsMissing() {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("unsubscribe", null);

        Rendered r = PlaceholderRenderer.render("Bye ${unsubscribe} ${company_address}", Map.of(), defaults, TEXT);

        assertThat(r.text()).isEqualTo("Bye ${unsubscribe} ${company_address}");
        assertThat(r.missing()).containsExactly("company_address", "unsubscribe");
    }

    @Test
    void defaultsAreOnlyUsedForCampaignTags() {
        Rendered r = PlaceholderRenderer.render("%recipient.unsubscribe%", Map.of(),
                Map.of("unsubscribe", "https://default/u"), TEXT);

        assertThat(r.text()).isEqualTo("%recipient.unsubscribe%");
        assertThat(r.missing()).containsExactly("unsubscribe");
    }

    @Test
    void recipientPlaceholderAndCampaignTagShareParameterNames() {
        Rendered r = PlaceholderRenderer.render("%recipient.unsubscribe% ${unsubscribe}",
                Map.of("unsubscribe", "U"), Map.of(), TEXT);

        assertThat(r.text()).isEqualTo("U U");
    }

    @Test
    void dollarSignsAndBackslashesInValuesAreLiteral() {
        Rendered r = PlaceholderRenderer.render("Total: %recipient.amount% path %recipient.p%",
                Map.of("amount", "$1 $0 ${x}", "p", "C:\\dir\\$1"), NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("Total: $1 $0 ${x} path C:\\dir\\$1");
    }

    @Test
    void dollarSignsAndBackslashesInTemplateAreKept() {
        Rendered r = PlaceholderRenderer.render("$5 \\ %recipient.a% $1", Map.of("a", "x"), NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("$5 \\ x $1");
    }

    @Test
    void valuesAreNotReExpanded() {
        Rendered r = PlaceholderRenderer.render("%recipient.a% ${unsubscribe}",
                Map.of("a", "%recipient.b% ${company_address}", "b", "B", "unsubscribe", "%recipient.b%"),
                Map.of("company_address", "HQ"), TEXT);

        assertThat(r.text()).isEqualTo("%recipient.b% ${company_address} %recipient.b%");
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void htmlTargetEscapesInsertedValuesOnly() {
        Rendered r = PlaceholderRenderer.render("<p title=\"t\">Hi %recipient.name% &amp; co</p>",
                Map.of("name", "<script>alert('x & \"y\"')</script>"), NO_DEFAULTS, HTML);

        assertThat(r.text()).isEqualTo("<p title=\"t\">Hi &lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)"
                + "&lt;/script&gt; &amp; co</p>");
    }

    @Test
    void htmlTargetEscapesDefaultsToo() {
        Rendered r = PlaceholderRenderer.render("<a href=\"${unsubscribe}\">x</a>", Map.of(),
                Map.of("unsubscribe", "https://e.com/u?a=1&b=\"2\""), HTML);

        assertThat(r.text()).isEqualTo("<a href=\"https://e.com/u?a=1&amp;b=&quot;2&quot;\">x</a>");
    }

    @Test
    void htmlTargetLeavesMissingPlaceholderAsWritten() {
        Rendered r = PlaceholderRenderer.render("<b>%recipient.x%</b>", Map.of(), NO_DEFAULTS, HTML);

        assertThat(r.text()).isEqualTo("<b>%recipient.x%</b>");
        assertThat(r.missing()).containsExactly("x");
    }

    @Test
    void textTargetDoesNotEscapeOrStrip() {
        Rendered r = PlaceholderRenderer.render("%recipient.v%", Map.of("v", "<a>&\r\n\"'"), NO_DEFAULTS, TEXT);

        assertThat(r.text()).isEqualTo("<a>&\r\n\"'");
    }

    @Test
    void headerTargetRemovesLineBreaksFromValues() {
        Rendered r = PlaceholderRenderer.render("Order %recipient.id% shipped",
                Map.of("id", "42\r\nBcc: victim@example.com"), NO_DEFAULTS, HEADER);

        assertThat(r.text()).isEqualTo("Order 42Bcc: victim@example.com shipped");
        assertThat(r.text()).doesNotContain("\r", "\n");
    }

    @Test
    void headerTargetRemovesEveryIsoControlCharacter() {
        Rendered r = PlaceholderRenderer.render("[%recipient.v%]", Map.of("v", "a\tb\u0000c\u007Fd\u0085e\u001Bf"),
                NO_DEFAULTS, HEADER);

        assertThat(r.text()).isEqualTo("[abcdef]");
    }

    @Test
    void headerTargetAlsoCleansTheTemplate() {
        Rendered r = PlaceholderRenderer.render("Hello\r\n %recipient.n%\n", Map.of("n", "Ann"), NO_DEFAULTS, HEADER);

        assertThat(r.text()).isEqualTo("Hello Ann");
    }

    @Test
    void headerTargetDoesNotEscapeHtml() {
        Rendered r = PlaceholderRenderer.render("%recipient.v%", Map.of("v", "A & B <c>"), NO_DEFAULTS, HEADER);

        assertThat(r.text()).isEqualTo("A & B <c>");
    }

    @Test
    void unicodeValuesAndNamesWork() {
        Rendered r = PlaceholderRenderer.render("Γειά %recipient.όνομα% 👋", Map.of("όνομα", "Μαρία"), NO_DEFAULTS,
                TEXT);

        assertThat(r.text()).isEqualTo("Γειά Μαρία 👋");
    }

    @Test
    void nullTemplateRendersToNull() {
        Rendered r = PlaceholderRenderer.render(null, Map.of("a", "b"), NO_DEFAULTS, HTML);

        assertThat(r.text()).isNull();
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void emptyTemplateAndNullMaps() {
        assertThat(PlaceholderRenderer.render("", null, null, TEXT)).isEqualTo(new Rendered("", null));

        Rendered r = PlaceholderRenderer.render("%recipient.a% ${unsubscribe}", null, null, TEXT);
        assertThat(r.text()).isEqualTo("%recipient.a% ${unsubscribe}");
        assertThat(r.missing()).containsExactly("a", "unsubscribe");
    }

    @Test
    void missingSetIsImmutable() {
        Rendered r = PlaceholderRenderer.render("%recipient.a%", Map.of(), NO_DEFAULTS, TEXT);

        assertThatThrownBy(() -> r.missing().add("b")).isInstanceOf(UnsupportedOperationException.class);
    }
}
