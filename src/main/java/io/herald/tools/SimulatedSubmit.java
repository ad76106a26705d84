package io.herald.tools;

import io.herald.sms.smpp.SmppText;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.SubmitSm;

/**
 * A submit_sm the {@link SmppSimulator} answered: its addresses, coding, concatenation (UDH or SAR: reference, total,
 * sequence; 1/1 for a single or a message_payload) and the text of this part.
 */
public record SimulatedSubmit(String smscMessageId, String systemId, String source, byte sourceTon, String destination,
                              byte destinationTon, byte dataCoding, byte esmClass, byte registeredDelivery,
                              int reference, int total, int sequence, boolean payload, String text) {

    static SimulatedSubmit of(SubmitSm submit, String smscMessageId, String systemId) {
        byte[] body = submit.getShortMessage() == null ? new byte[0] : submit.getShortMessage();
        boolean udh = (submit.getEsmClass() & 0x40) != 0 && body.length >= 6 && body[1] == 0x00;
        int reference = 0;
        int total = 1;
        int sequence = 1;
        if (udh) {
            reference = body[3] & 0xFF;
            total = body[4] & 0xFF;
            sequence = body[5] & 0xFF;
        } else if (submit.getOptionalParameter(OptionalParameter.Tag.SAR_TOTAL_SEGMENTS) instanceof OptionalParameter.Byte t) {
            total = t.getValue() & 0xFF;
            sequence = ((OptionalParameter.Byte) submit.getOptionalParameter(OptionalParameter.Tag.SAR_SEGMENT_SEQNUM))
                    .getValue() & 0xFF;
            reference = ((OptionalParameter.Short) submit.getOptionalParameter(OptionalParameter.Tag.SAR_MSG_REF_NUM))
                    .getValue() & 0xFFFF;
        }
        boolean payload = false;
        if (body.length == 0 && submit.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD)
                instanceof OptionalParameter.OctetString octets) {
            body = octets.getValue();
            payload = true;
        }
        return new SimulatedSubmit(smscMessageId, systemId, submit.getSourceAddr(), submit.getSourceAddrTon(),
                submit.getDestAddress(), submit.getDestAddrTon(), submit.getDataCoding(), submit.getEsmClass(),
                submit.getRegisteredDelivery(), reference, total, sequence, payload,
                SmppText.decode(body, submit.getDataCoding(), udh));
    }

    /** The key of the long message this part belongs to. */
    String group() {
        return systemId + "|" + source + "|" + destination + "|" + reference + "|" + total;
    }
}
