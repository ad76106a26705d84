package io.herald.store;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Group commit: the writes of every caller waiting at the same moment go to the database in one transaction, as one
 * JDBC batch per statement ({@link Batch}), with one commit; then every caller is answered. Nobody is answered before
 * the commit that holds their rows, so what a caller was told is stored is durable; but a busy instance pays one
 * commit (and one round trip per statement) for many callers instead of one each.
 * <p>
 * One writer thread per instance of this class: while it commits one batch, the next gathers by itself, so there is
 * no waiting window to tune, and a quiet system writes each unit at once. Units are written in the order they came.
 * <p>
 * A unit must be written again as if for the first time: when a batch fails (one bad row fails them all), it is
 * rolled back and each of its units is written alone, in a transaction of its own, so that one unit's failure is that
 * unit's answer only.
 */
public final class GroupCommit extends ServiceSupport {
    /** One caller's writes. */
    @FunctionalInterface
    public interface Unit<T> {
        /** Adds this unit's rows to the batch; the answer is read once every round of the batch ran, before the commit. */
        Supplier<T> write(Batch batch) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending<T>(Unit<T> unit, CompletableFuture<T> answer) {
    }

    private final String name;
    private final DataSource dataSource;
    private final int maxUnits;
    private volatile boolean writeFile;
    private volatile long lingerNanos;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final LongAdder batches = new LongAdder();
    private final LongAdder units = new LongAdder();
    private volatile boolean running;
    private Thread writer;

    /** {@code maxUnits}: at most this many units in one transaction. */
    public GroupCommit(String name, DataSource dataSource, int maxUnits) {
        this.name = name;
        this.dataSource = dataSource;
        this.maxUnits = Math.max(1, maxUnits);
    }

    /**
     * After each commit, the database file is written before anyone is answered ({@link H2Files}): for callers told
     * that their data is stored (accepted messages). Other writes ride along with the next such write, or H2's own.
     */
    public GroupCommit writingFile() {
        this.writeFile = true;
        return this;
    }

    /**
     * After the first unit of a batch, waits up to {@code linger} for more to join it (up to the batch's maximum): for
     * writers whose callers do not wait on an answer to a client, so that fewer, larger commits serve them.
     */
    public GroupCommit lingering(java.time.Duration linger) {
        this.lingerNanos = linger.toNanos();
        return this;
    }

    /** Writes the unit (with whatever else is waiting), waits for the commit, and answers the unit's answer. */
    public <T> T write(Unit<T> unit) {
        try {
            return submit(unit).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(new SQLException("interrupted while waiting for the commit", e));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof SQLException sql) {
                throw new StoreException(sql);
            }
            throw new StoreException(new SQLException(e.getCause()));
        }
    }

    public <T> CompletableFuture<T> submit(Unit<T> unit) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (!running) {
            answer.completeExceptionally(new StoreException(new SQLException("the " + name + " writer is stopped")));
            return answer;
        }
        queue.add(new Pending<>(unit, answer));
        return answer;
    }

    public String name() {
        return name;
    }

    /** Transactions committed so far, and the units they held: their ratio is the batching achieved. */
    public long batches() {
        return batches.sum();
    }

    public long units() {
        return units.sum();
    }

    @Override
    protected void doStart() {
        running = true;
        writer = new Thread(this::loop, "herald-" + name + "-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes what is still waiting, then stops; whoever submits after this is refused. */
    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        Pending<?> left;
        while ((left = queue.poll()) != null) {
            left.answer().completeExceptionally(new StoreException(new SQLException("the " + name + " writer stopped")));
        }
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(maxUnits);
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxUnits - 1);
                long until = System.nanoTime() + lingerNanos;
                long left;
                while (batch.size() < maxUnits && (left = until - System.nanoTime()) > 0) {
                    Pending<?> more = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (more == null) {
                        break;
                    }
                    batch.add(more);
                    queue.drainTo(batch, maxUnits - batch.size());
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                LOG.error("The {} writer failed a batch of {} units", name, batch.size(), t);
                for (Pending<?> p : batch) {
                    p.answer().completeExceptionally(t);
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending<?>> batch) {
        List<Supplier<?>> answers = new ArrayList<>(batch.size());
        try {
            inTransaction(b -> {
                for (Pending<?> p : batch) {
                    answers.add(p.unit().write(b));
                }
            }, answers, batch.size());
        } catch (Exception e) {
            if (batch.size() == 1) {
                batch.get(0).answer().completeExceptionally(e);
                return;
            }
            LOG.debug("A batch of {} units failed, writing each alone: {}", batch.size(), e.getMessage());
            for (Pending<?> p : batch) {
                writeAlone(p);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), answers.get(i));
        }
    }

    private <T> void writeAlone(Pending<T> p) {
        List<Supplier<?>> answer = new ArrayList<>(1);
        try {
            inTransaction(b -> answer.add(p.unit().write(b)), answer, 1);
        } catch (Exception e) {
            p.answer().completeExceptionally(e);
            return;
        }
        complete(p, answer.get(0));
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Supplier<?> answer) {
        p.answer().complete((T) answer.get());
    }

    @FunctionalInterface
    private interface Writes {
        void run(Batch batch) throws SQLException;
    }

    /** Writes, flushes and commits; the answers are read before the commit (they describe what the commit stores). */
    private void inTransaction(Writes writes, List<Supplier<?>> answers, int count) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Batch b = new Batch(c);
                writes.run(b);
                b.flush();
                for (Supplier<?> answer : answers) {
                    answer.get(); // an answer that cannot be read fails the batch before it commits
                }
                c.commit();
                if (writeFile) {
                    H2Files.write(c);
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        batches.increment();
        units.add(count);
    }
}
