package io.herald.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.pipeline.MessageRenderer;
import io.herald.pipeline.Outcome;
import io.herald.pipeline.Recipient;
import io.herald.security.Principal;
import io.herald.sms.GsmAlphabet;
import io.herald.store.Campaign;
import io.herald.store.CampaignRepository;
import io.herald.store.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /v1/campaigns/{code}/preview} (docs/lists.md): the campaign's content rendered for the given recipient
 * and parameters by the pipeline's own renderer ({@link MessageRenderer}), with the missing-parameter warning
 * CO-SENDER would give. Any status (a draft too); nothing is stored or sent.
 */
public class CampaignPreviewApi {
    private final CampaignRepository campaigns;
    private final MessageRenderer renderer = new MessageRenderer();

    public CampaignPreviewApi(CampaignRepository campaigns) {
        this.campaigns = campaigns;
    }

    public Map<String, Object> preview(Exchange exchange, @Header("code") String code,
                                       @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        Campaign campaign = campaigns.findByCode(principal.accountId(), code)
                .orElseThrow(() -> ApiError.NOT_FOUND.exception("Campaign not found"));
        String raw = Json.bodyText(exchange);
        // like POST .../keys: no body at all is "no options"; a declared body is read as one
        boolean declared = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE) != null;
        ObjectNode body = declared || raw != null && !raw.isBlank() ? Json.requestObject(exchange) : Json.MAPPER.createObjectNode();
        String recipient = Json.storedText("recipient", Json.text(body, "recipient"), 320);
        Map<String, String> parameters = Json.stringMap(body, "parameters");
        parameters.values().forEach(v -> Json.storedText("parameters", v, 1_000_000));
        Outcome outcome = renderer.render(new Outcome.Addressed(Recipient.of(recipient, parameters), recipient), campaign);
        if (outcome instanceof Outcome.Rejection rejection) {
            throw ApiError.INVALID_FIELD.exception(rejection.reason());
        }
        Outcome.Draft draft = (Outcome.Draft) outcome;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", campaign.code());
        answer.put("channel", campaign.channel().name());
        answer.put("from", draft.from());
        if (campaign.channel() == Channel.EMAIL) {
            answer.put("replyTo", draft.replyTo());
            answer.put("subject", draft.subject());
            answer.put("html", draft.html());
        }
        answer.put("text", draft.text());
        if (campaign.channel() == Channel.SMS) {
            GsmAlphabet.Segments segments = GsmAlphabet.segments(draft.text() == null ? "" : draft.text());
            answer.put("encoding", segments.encoding());
            answer.put("segments", segments.count());
        }
        answer.put("missingParameters", draft.missing());
        answer.put("warning", draft.missing().isEmpty() ? null : "Missing parameters: " + String.join(", ", draft.missing()));
        return answer;
    }
}
