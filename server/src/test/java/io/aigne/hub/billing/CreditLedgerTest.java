package io.aigne.hub.billing;

import io.aigne.hub.auth.Role;
import io.aigne.hub.auth.UserStore;
import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The credit ledger's guarantees on both databases: the balance always equals the sum of the entries, holds never
 * reserve more than the balance however many race, a call is charged once however often it is settled, grants are
 * spent oldest-expiry first and expire exactly their unspent part.
 */
class CreditLedgerTest {

    @SqliteVariant
    class Sqlite extends Contract {}

    @PostgresVariant
    class Postgres extends Contract {}

    abstract static class Contract extends DatabaseContract {
        CreditLedger ledger;
        final AtomicReference<BillingPolicy> policy = new AtomicReference<>(policy(Credits.ZERO));
        String alice;

        Contract() {
            super("credit_holds", "credit_entries", "credit_accounts", "access_keys", "users");
        }

        static BillingPolicy policy(Credits newUserGrant) {
            return new BillingPolicy(true, BigDecimal.ONE, BigDecimal.TWO, newUserGrant, 0, 100, true, "", "");
        }

        @BeforeAll
        final void newLedger() {
            if (db != null) {
                ledger = new CreditLedger(db.jdbi(), db.dialect(), policy::get);
            }
        }

        @BeforeEach
        final void aliceWithNoCredits() {
            policy.set(policy(Credits.ZERO));
            alice = new UserStore(db.jdbi()).create("alice", null, null, Role.MEMBER).id();
        }

        private void assertBalanced(String user) {
            CreditAccount account = ledger.account(user);
            assertThat(account.balance()).isEqualTo(ledger.ledgerSum(user));
            assertThat(account.balance().isNegative()).isFalse();
            long openHolds = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COALESCE(SUM(amount), 0) FROM credit_holds WHERE user_id = :u").bind("u", user)
                    .mapTo(Long.class).one());
            assertThat(account.held().nanos()).isEqualTo(openHolds);
            long remaining = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COALESCE(SUM(remaining), 0) FROM credit_entries WHERE user_id = :u").bind("u", user)
                    .mapTo(Long.class).one());
            assertThat(remaining).as("what is left of the grants is the balance").isEqualTo(account.balance().nanos());
        }

        @Test
        void grantsAddToTheBalanceAndAnExternalIdIsCreditedOnce() {
            assertThat(ledger.grant(alice, CreditEntry.Kind.PURCHASE, Credits.parse("12.5"), null, "evt_1", "pack",
                    "stripe")).isPresent();
            assertThat(ledger.grant(alice, CreditEntry.Kind.PURCHASE, Credits.parse("12.5"), null, "evt_1", "pack",
                    "stripe")).isEmpty();
            assertThat(ledger.account(alice).balance()).isEqualTo(Credits.parse("12.5"));
            assertBalanced(alice);
        }

        @Test
        void concurrentHoldsNeverReserveMoreThanTheBalance() throws Exception {
            ledger.grant(alice, CreditEntry.Kind.GRANT, Credits.ofWhole(50), null, null, null, "admin");
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> holds = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String call = "call-" + i;
                holds.add(pool.submit(() -> {
                    start.await();
                    return ledger.hold(call, alice, Credits.ofWhole(1), "node-a", Long.MAX_VALUE);
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<Boolean> f : holds) {
                granted += f.get() ? 1 : 0;
            }
            pool.shutdown();
            assertThat(granted).isEqualTo(50);
            assertThat(ledger.account(alice).held()).isEqualTo(Credits.ofWhole(50));
            assertThat(ledger.account(alice).available()).isEqualTo(Credits.ZERO);
            assertBalanced(alice);
        }

        @Test
        void settlingChargesTheCostReleasesTheRestAndIsIdempotent() {
            ledger.grant(alice, CreditEntry.Kind.GRANT, Credits.ofWhole(10), null, null, null, "admin");
            assertThat(ledger.hold("c1", alice, Credits.parse("3"), "node-a", Long.MAX_VALUE)).isTrue();
            CreditLedger.Settlement s = new CreditLedger.Settlement("c1", alice, Credits.parse("0.000123456"), true);
            assertThat(ledger.settle(s)).isEqualTo(Credits.parse("0.000123456"));
            assertThat(ledger.settle(s)).as("a replay is not charged again").isEqualTo(Credits.ZERO);
            CreditAccount account = ledger.account(alice);
            assertThat(account.balance()).isEqualTo(Credits.parse("9.999876544"));
            assertThat(account.held()).isEqualTo(Credits.ZERO);
            assertBalanced(alice);
        }

        @Test
        void aChargeNeverTakesCreditOtherCallsHoldNorGoesBelowZero() {
            ledger.grant(alice, CreditEntry.Kind.GRANT, Credits.ofWhole(10), null, null, null, "admin");
            ledger.hold("mine", alice, Credits.ofWhole(2), "n", Long.MAX_VALUE);
            ledger.hold("other", alice, Credits.ofWhole(7), "n", Long.MAX_VALUE);
            // The call cost more than it reserved: it may use its own hold and the 1 credit nobody holds.
            assertThat(ledger.settle(new CreditLedger.Settlement("mine", alice, Credits.ofWhole(5), true)))
                    .isEqualTo(Credits.ofWhole(3));
            assertThat(ledger.account(alice).balance()).isEqualTo(Credits.ofWhole(7));
            assertThat(ledger.settle(new CreditLedger.Settlement("other", alice, Credits.ofWhole(7), true)))
                    .isEqualTo(Credits.ofWhole(7));
            assertThat(ledger.account(alice).balance()).isEqualTo(Credits.ZERO);
            assertBalanced(alice);
        }

        @Test
        void grantsAreSpentOldestExpiryFirstAndExpireOnlyTheirUnspentPart() {
            long now = System.currentTimeMillis();
            ledger.grant(alice, CreditEntry.Kind.GRANT, Credits.ofWhole(10), null, null, "forever", "admin");
            CreditEntry promo = ledger.grant(alice, CreditEntry.Kind.PROMOTION, Credits.ofWhole(10), now + 1_000, null,
                    "promo", "admin").orElseThrow();
            ledger.settle(new CreditLedger.Settlement("c1", alice, Credits.ofWhole(4), true));
            assertThat(ledger.expireDue(now)).as("nothing is due yet").isZero();
            assertThat(ledger.expireDue(now + 2_000)).isEqualTo(1);
            assertThat(ledger.expireDue(now + 3_000)).as("an expiry happens once").isZero();
            assertThat(ledger.account(alice).balance()).isEqualTo(Credits.ofWhole(10));
            List<CreditEntry> expiries = ledger.entries(alice, List.of(CreditEntry.Kind.EXPIRY), null, null, 1, 10)
                    .entries();
            assertThat(expiries).singleElement().satisfies(e -> assertThat(e.amount()).isEqualTo(Credits.ofWhole(-6)));
            assertThat(promo.id()).isNotNull();
            assertBalanced(alice);
        }

        @Test
        void abandonedHoldsOfANodeAreReleased() {
            ledger.grant(alice, CreditEntry.Kind.GRANT, Credits.ofWhole(5), null, null, null, "admin");
            ledger.hold("a", alice, Credits.ofWhole(2), "dead-node", Long.MAX_VALUE);
            ledger.hold("b", alice, Credits.ofWhole(2), "live-node", Long.MAX_VALUE);
            ledger.hold("c", alice, Credits.ofWhole(1), "live-node", 1L);
            assertThat(ledger.releaseAbandonedHolds("dead-node", System.currentTimeMillis())).isEqualTo(2);
            assertThat(ledger.account(alice).held()).isEqualTo(Credits.ofWhole(2));
            assertBalanced(alice);
        }

        @Test
        void aChargedCallIsRefundedOnce() {
            ledger.grant(alice, CreditEntry.Kind.GRANT, Credits.ofWhole(5), null, null, null, "admin");
            ledger.settle(new CreditLedger.Settlement("c1", alice, Credits.parse("1.5"), true));
            assertThat(ledger.refund("c1", "bad answer", "admin")).isPresent();
            assertThat(ledger.refund("c1", "bad answer", "admin")).isEmpty();
            assertThat(ledger.refund("never-charged", "x", "admin")).isEmpty();
            assertThat(ledger.account(alice).balance()).isEqualTo(Credits.ofWhole(5));
            assertBalanced(alice);
        }

        @Test
        void aNewAccountGetsTheNewUserGrantOnce() {
            policy.set(policy(Credits.parse("2.5")));
            String bob = new UserStore(db.jdbi()).create("bob", null, null, Role.MEMBER).id();
            assertThat(ledger.account(bob).balance()).isEqualTo(Credits.parse("2.5"));
            assertThat(ledger.account(bob).balance()).isEqualTo(Credits.parse("2.5"));
            assertThat(ledger.entries(bob, List.of(CreditEntry.Kind.PROMOTION), null, null, 1, 10).count()).isEqualTo(1);
            assertBalanced(bob);
        }
    }
}
