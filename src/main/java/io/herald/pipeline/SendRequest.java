package io.herald.pipeline;

import io.herald.security.Principal;

import java.util.List;

/** The canonical send request: what every dialect's receive route hands to the accept pipeline. */
public record SendRequest(Principal principal, String dialect, String campaignCode, Long campaignId,
                          List<Recipient> recipients) {
}
