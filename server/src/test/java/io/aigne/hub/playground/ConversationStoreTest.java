package io.aigne.hub.playground;

import io.aigne.hub.testing.DatabaseContract;
import io.aigne.hub.testing.DatabaseContract.PostgresVariant;
import io.aigne.hub.testing.DatabaseContract.SqliteVariant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The playground's conversations and the hub settings, on SQLite and PostgreSQL. */
class ConversationStoreTest {

    @SqliteVariant
    class Sqlite extends Contract {}

    @PostgresVariant
    class Postgres extends Contract {}

    abstract static class Contract extends DatabaseContract {
        ConversationStore store;
        HubSettings settings;

        Contract() {
            super("playground_conversations", "hub_settings");
        }

        @BeforeEach
        final void newStores() {
            store = new ConversationStore(db.jdbi());
            settings = new HubSettings(db.jdbi());
        }

        @Test
        void listsAUsersConversationsNewestFirstWithoutTheirMessages() {
            Conversation first = store.create("u1", "First", "openai/gpt-4o", null, "[]");
            Conversation second = store.create("u1", "Second", null, "be brief", "[]");
            store.create("u2", "Someone else's", null, null, "[]");

            store.update(first);

            assertThat(store.list("u1", 10)).extracting(Conversation::title).containsExactly("First", "Second");
            assertThat(store.list("u1", 10).getFirst().messages()).isEmpty();
            assertThat(store.list("u1", 1)).hasSize(1);
            assertThat(store.count("u1")).isEqualTo(2);
            assertThat(store.find("u1", second.id()).orElseThrow().systemPrompt()).isEqualTo("be brief");
        }

        @Test
        void aUserReachesOnlyTheirOwnConversations() {
            Conversation mine = store.create("u1", "Mine", null, null, "[{\"role\":\"user\",\"content\":\"hi\"}]");

            assertThat(store.find("u2", mine.id())).isEmpty();
            assertThat(store.delete("u2", mine.id())).isFalse();
            store.update(new Conversation(mine.id(), "u2", "Hijacked", null, null, "[]", 0, 0));

            Conversation stored = store.find("u1", mine.id()).orElseThrow();
            assertThat(stored.title()).isEqualTo("Mine");
            assertThat(stored.messages()).contains("\"hi\"");
            assertThat(store.delete("u1", mine.id())).isTrue();
            assertThat(store.find("u1", mine.id())).isEmpty();
        }

        @Test
        void settingsAreUpserted() {
            PlaygroundAccess access = new PlaygroundAccess(settings);
            assertThat(access.guestAccess()).as("off by default").isFalse();

            access.setGuestAccess(true);
            assertThat(access.guestAccess()).isTrue();
            access.setGuestAccess(false);
            assertThat(access.guestAccess()).isFalse();
            assertThat(settings.get(PlaygroundAccess.GUEST_ACCESS)).hasValue("false");
        }
    }
}
