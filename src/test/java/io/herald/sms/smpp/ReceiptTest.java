package io.herald.sms.smpp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading delivery receipts: the standard text and the receipted_message_id / message_state TLVs (SPEC §6). */
class ReceiptTest {
    @Test
    void theStandardTextGivesIdStateAndError() {
        Receipt receipt = Receipt.parse("id:0A1B2C sub:001 dlvrd:001 submit date:2612061900 done date:2612061901"
                + " stat:DELIVRD err:000 text:Hello world", null, null);
        assertThat(receipt).isEqualTo(new Receipt("0A1B2C", "DELIVRD", "000"));
        assertThat(receipt.delivered()).isTrue();
        assertThat(receipt.failed()).isFalse();
    }

    @Test
    void failedStatesAreFinalFailures() {
        for (String stat : new String[] {"UNDELIV", "EXPIRED", "REJECTD", "DELETED"}) {
            Receipt receipt = Receipt.parse("id:7 sub:001 dlvrd:000 submit date:2612061900 done date:2612061901 stat:"
                    + stat + " err:034", null, null);
            assertThat(receipt.failed()).as(stat).isTrue();
            assertThat(receipt.delivered()).isFalse();
            assertThat(receipt.err()).isEqualTo("034");
        }
        Receipt pending = Receipt.parse("id:7 stat:ACCEPTD err:000", null, null);
        assertThat(pending.failed()).isFalse();
        assertThat(pending.delivered()).isFalse();
    }

    @Test
    void fieldNamesInAnyCaseAndTextAfterThemDoNotConfuse() {
        Receipt receipt = Receipt.parse("ID:abc SUB:001 DLVRD:001 SUBMIT DATE:2612061900 DONE DATE:2612061901 Stat:undeliv"
                + " Err:001 Text:id:evil stat:DELIVRD", null, null);
        assertThat(receipt).isEqualTo(new Receipt("abc", "UNDELIV", "001"));
    }

    @Test
    void theTlvsWinOverTheText() {
        Receipt receipt = Receipt.parse("id:111 stat:DELIVRD err:000", "222", 5);
        assertThat(receipt).isEqualTo(new Receipt("222", "UNDELIV", "000"));
        assertThat(Receipt.parse("", "333", 2)).isEqualTo(new Receipt("333", "DELIVRD", null));
        assertThat(Receipt.parse("", "333", 8).stat()).isEqualTo("REJECTD");
    }

    @Test
    void withoutIdOrStateThereIsNoReceipt() {
        assertThat(Receipt.parse("hello", null, null)).isNull();
        assertThat(Receipt.parse("id:1 err:000", null, null)).isNull();
        assertThat(Receipt.parse("stat:DELIVRD", null, null)).isNull();
        assertThat(Receipt.parse(null, null, 2)).isNull();
    }
}
