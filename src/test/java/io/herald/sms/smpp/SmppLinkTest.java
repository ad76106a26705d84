package io.herald.sms.smpp;

import io.herald.delivery.TransientDeliveryException;
import io.herald.support.HeraldApp;
import io.herald.tools.SimulatedSubmit;
import io.herald.tools.SmppSimulator;
import org.apache.camel.impl.DefaultCamelContext;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The binds of an smpp upstream against a real SMSC on jsmpp's server API, without the rest of Herald: bind and
 * rebind, transmitter + receiver, the window across a dropped connection, throttling, and what the binds receive.
 */
class SmppLinkTest {
    private SmppSimulator smsc;
    private SmppLinks links;
    private final List<DeliverSm> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        smsc = new SmppSimulator(HeraldApp.freePort(), 10);
        links = new SmppLinks(new DefaultCamelContext(),
                new SmppBind.Options(Duration.ofSeconds(3), Duration.ofMillis(50), Duration.ofMillis(400), 4),
                new SmppLink.Pacing(Duration.ofSeconds(10), Duration.ofMillis(20), 8), (upstream, scheduler) -> new Recorder());
    }

    @AfterEach
    void stop() throws Exception {
        links.stop();
        smsc.close();
    }

    private SmppUpstream upstream(boolean transceiver, int window, int tps) {
        return new SmppUpstream("smsc-a", "127.0.0.1", smsc.port(), "herald", "secret", "", transceiver, window, tps, 30,
                SmppText.LongMessages.UDH, 1, false);
    }

    private SmppLink bound(SmppUpstream upstream) {
        links.configure(List.of(upstream));
        await(() -> links.bound("smsc-a"));
        return links.link("smsc-a");
    }

    private static String submit(SmppLink link, String destination, String text) {
        return link.submit("Herald", destination, SmppText.GSM, SmppText.encode(text, SmppText.LongMessages.UDH, 1).parts().get(0));
    }

    @Test
    void aRefusedBindIsTriedAgainUntilTheSmscTakesIt() {
        smsc.refuseBinds(true);
        links.configure(List.of(upstream(true, 10, 0)));
        HeraldApp.sleep(500);
        assertThat(links.bound("smsc-a")).isFalse();
        smsc.refuseBinds(false);
        await(() -> links.bound("smsc-a"));
        assertThat(submit(links.link("smsc-a"), "306936860001", "hi")).isEqualTo(smsc.answered().get(0).smscMessageId());
    }

    @Test
    void aTransmitterAndAReceiverBindTogether() throws Exception {
        SmppLink link = bound(upstream(false, 10, 0));
        await(() -> smsc.bound() == 2);
        submit(link, "306936860002", "over the transmitter");
        smsc.sendMo("306936860002", "Herald", "back over the receiver");
        await(() -> received.stream().anyMatch(d -> !isReceipt(d)));
        await(() -> received.stream().anyMatch(SmppLinkTest::isReceipt));
    }

    @Test
    void submitsOutstandingWhenTheBindDropsAreSentAgainOnceEach() throws Exception {
        SmppLink link = bound(upstream(true, 20, 0));
        smsc.holdThenDrop(20);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String destination = "3069368620" + String.format("%02d", i);
            ids.add(pool.submit(() -> submit(link, destination, "windowed")));
        }
        assertThat(smsc.awaitDrop(10_000)).isTrue();
        for (Future<String> id : ids) {
            assertThat(id.get()).isNotBlank();
        }
        pool.shutdown();
        List<SimulatedSubmit> answered = smsc.answered();
        assertThat(answered).hasSize(20);
        assertThat(answered.stream().map(SimulatedSubmit::destination).distinct()).hasSize(20);
        assertThat(link.resends()).isEqualTo(20);
        assertThat(link.windowInUse()).isZero();
    }

    @Test
    void throttlingIsWaitedOutAndTooMuchOfItIsTransient() {
        SmppLink link = bound(upstream(true, 10, 0));
        smsc.throttleNext(2);
        assertThat(submit(link, "306936860003", "eventually")).isNotBlank();
        assertThat(link.throttles()).isEqualTo(2);
        smsc.throttleNext(100);
        assertThatThrownBy(() -> submit(link, "306936860004", "never")).isInstanceOf(TransientDeliveryException.class)
                .hasMessageContaining("throttling");
        assertThat(smsc.answered()).hasSize(1);
    }

    @Test
    void aTpsCeilingSpacesTheSubmits() {
        SmppLink link = bound(upstream(true, 10, 20));
        long start = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            submit(link, "306936860005", "paced " + i);
        }
        // 11 submits at 20 a second: at least 10 gaps of 50 ms
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void anUpstreamRemovedFromTheTableIsUnbound() {
        bound(upstream(true, 10, 0));
        links.configure(List.of());
        assertThat(links.link("smsc-a")).isNull();
        await(() -> smsc.bound() == 0);
    }

    private static boolean isReceipt(DeliverSm d) {
        return (d.getEsmClass() & 0x04) != 0;
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("condition within 10 s").isLessThan(deadline);
            HeraldApp.sleep(20);
        }
    }

    private final class Recorder implements MessageReceiverListener {
        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) {
            received.add(deliverSm);
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification alertNotification) {
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) {
            return null;
        }
    }
}
