package io.herald.pipeline;

import io.herald.store.Channel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SpooledMessageTest {

    private static SpooledMessage message(int i, int textLength) {
        return new SpooledMessage(new Recipient(null, "m" + i + "@example.com", null, "u" + i, i % 2 == 0 ? "card-" + i : null,
                Map.of(), null), Channel.EMAIL, "m" + i + "@example.com", "news@shop.gr", null, "Hi", null,
                "t".repeat(textLength), null);
    }

    @Test
    void smallMessagesMakeOneRunInOrder() {
        List<SpooledMessage> batch = IntStream.range(0, 500).mapToObj(i -> message(i, 100)).toList();
        assertThat(SpooledMessage.runs(batch, 4_000_000)).containsExactly(batch);
    }

    @Test
    void largeMessagesAreSplitIntoRunsUnderTheLimitKeepingTheirOrder() {
        List<SpooledMessage> batch = IntStream.range(0, 7).mapToObj(i -> message(i, 1_000)).toList();
        List<List<SpooledMessage>> runs = SpooledMessage.runs(batch, 3 * batch.get(0).chars());
        assertThat(runs).extracting(List::size).containsExactly(3, 3, 1);
        assertThat(runs.stream().flatMap(List::stream).toList()).isEqualTo(batch);
        assertThat(runs).allSatisfy(run -> assertThat(run.stream().mapToLong(SpooledMessage::chars).sum())
                .isLessThanOrEqualTo(3 * batch.get(0).chars()));
    }

    @Test
    void aMessageOverTheLimitIsARunOfItsOwn() {
        List<SpooledMessage> batch = List.of(message(0, 10), message(1, 5_000), message(2, 10));
        assertThat(SpooledMessage.runs(batch, 1_000)).extracting(List::size).containsExactly(1, 1, 1);
    }

    @Test
    void aRunIsReadBackAsWritten() {
        List<SpooledMessage> run = IntStream.range(0, 3).mapToObj(i -> message(i, 20)).toList();
        assertThat(SpooledMessage.read(SpooledMessage.write(run))).isEqualTo(run);
    }
}
