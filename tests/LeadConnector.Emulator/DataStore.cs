using System.Security.Cryptography;

namespace LeadConnector.Emulator;

/// <summary>Conversation channel, as the get-by-id endpoint encodes it (a number).</summary>
public enum ConversationKind
{
    Phone = 1,
    Email = 2,
    FacebookMessenger = 3,
    Review = 4,
    GroupSms = 5,
    InternalChat = 6,
}

/// <summary>A conversation as the emulator stores it. Instances handed out by <see cref="DataStore"/> are copies.</summary>
public sealed class StoredConversation
{
    public string Id { get; set; } = "";
    public string LocationId { get; set; } = "";
    public string ContactId { get; set; } = "";
    public ConversationKind Type { get; set; } = ConversationKind.Phone;
    public string? AssignedTo { get; set; }
    public string? UserId { get; set; }
    public string? LastMessageBody { get; set; }
    public string? LastMessageType { get; set; }
    public string? LastMessageDirection { get; set; }
    public DateTimeOffset LastMessageDate { get; set; }
    public DateTimeOffset LastManualMessageDate { get; set; }
    public DateTimeOffset DateAdded { get; set; }
    public DateTimeOffset DateUpdated { get; set; }
    public int UnreadCount { get; set; }
    public bool Inbox { get; set; } = true;
    public bool Starred { get; set; }
    public bool Deleted { get; set; }
    /// <summary>The last <c>feedback</c> object received by PUT, as raw JSON; null when never set.</summary>
    public string? Feedback { get; set; }
    public string? FullName { get; set; }
    public string? ContactName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    /// <summary>True when the conversation was created through <c>POST /conversations/</c> (not seeded).</summary>
    public bool CreatedByApi { get; set; }

    public StoredConversation Clone() => (StoredConversation)MemberwiseClone();
}

/// <summary>An email message as the emulator stores it.</summary>
public sealed class StoredEmail
{
    public string Id { get; set; } = "";
    public string? AltId { get; set; }
    public string ThreadId { get; set; } = "";
    public string LocationId { get; set; } = "";
    public string ContactId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public DateTimeOffset DateAdded { get; set; }
    public string? Subject { get; set; }
    public string Body { get; set; } = "";
    public string Direction { get; set; } = "inbound";
    public string? Status { get; set; }
    public string ContentType { get; set; } = "text/plain";
    public string[] Attachments { get; set; } = [];
    public string? Provider { get; set; }
    public string From { get; set; } = "";
    public string[] To { get; set; } = [];
    public string[] Cc { get; set; } = [];
    public string[] Bcc { get; set; } = [];
    public string? ReplyToMessageId { get; set; }
    public string? Source { get; set; }
    public string? ConversationProviderId { get; set; }

    public StoredEmail Clone() => (StoredEmail)MemberwiseClone();
}

/// <summary>The emulator's data: conversations and email messages. Thread-safe; every read returns copies.</summary>
public sealed partial class DataStore
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredConversation> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredEmail> _emails = new(StringComparer.Ordinal);
    private int _createdCount;

    public DataStore() => Reseed();

    /// <summary>Number of conversations created through the API since the last reseed.</summary>
    public int CreatedCount { get { lock (_gate) return _createdCount; } }

    /// <summary>The live conversation, or null when unknown or deleted (as the API sees it).</summary>
    public StoredConversation? GetConversation(string id) =>
        FindConversation(id) is { Deleted: false } c ? c : null;

    /// <summary>The stored conversation including deleted ones (then Deleted = true), or null when unknown.</summary>
    public StoredConversation? FindConversation(string id)
    {
        lock (_gate) return _conversations.TryGetValue(id, out var c) ? c.Clone() : null;
    }

    /// <summary>Number of non-deleted conversations in the location.</summary>
    public int ConversationCount(string locationId)
    {
        lock (_gate) return _conversations.Values.Count(c => !c.Deleted && c.LocationId == locationId);
    }

    /// <summary>Every stored conversation, deleted ones included, in id order.</summary>
    public IReadOnlyList<StoredConversation> AllConversations()
    {
        lock (_gate) return [.. _conversations.Values.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => c.Clone())];
    }

    /// <summary>Adds (or replaces) a conversation, e.g. to give a test more data. Keep lastMessageDate unique.</summary>
    public void AddConversation(StoredConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        lock (_gate) _conversations[conversation.Id] = conversation.Clone();
    }

    public StoredEmail? GetEmail(string id)
    {
        lock (_gate) return _emails.TryGetValue(id, out var e) ? e.Clone() : null;
    }

    /// <summary>Drops every change and restores the seeded data.</summary>
    public void Reseed()
    {
        lock (_gate)
        {
            _conversations.Clear();
            _emails.Clear();
            _createdCount = 0;
            _sentCount = 0;
            _contacts.Clear();
            ResetContactState();
            _messages.Clear();
            foreach (var c in Seed.Conversations()) _conversations[c.Id] = c;
            foreach (var e in Seed.Emails()) _emails[e.Id] = e;
            foreach (var contact in Seed.Contacts(_conversations.Values)) _contacts[contact.Id] = contact;
            foreach (var (m, email) in Seed.Messages(_conversations.Values, _emails.Values))
            {
                _messages[m.Id] = m;
                if (email is not null) _emails[email.Id] = email;
            }
            ReseedNotesAndWorkflows(); // DataStore.Notes.cs
            ReseedPreferences();
        }
    }

    /// <summary>
    /// Runs a search over a location's live conversations under the lock and clones only the page it returns
    /// (cloning every conversation for every page made paging through a large tenant quadratic in memory traffic).
    /// </summary>
    internal (IReadOnlyList<(StoredConversation Conversation, long[] SortValue)> Page, int Total) Search(string locationId,
        Func<IEnumerable<StoredConversation>, (IReadOnlyList<(StoredConversation Conversation, long[] SortValue)> Page, int Total)> run)
    {
        lock (_gate)
        {
            var (page, total) = run(_conversations.Values.Where(c => !c.Deleted && c.LocationId == locationId));
            return ([.. page.Select(m => (m.Conversation.Clone(), m.SortValue))], total);
        }
    }

    internal StoredConversation Create(string locationId, string contactId, DateTimeOffset now)
    {
        lock (_gate)
        {
            // Copy the contact's details from one of its conversations when the contact is known.
            var sibling = _conversations.Values.FirstOrDefault(c => c.ContactId == contactId && c.LocationId == locationId);
            var stamp = UniqueLastMessageDate(now);
            var created = new StoredConversation
            {
                Id = NewId(),
                LocationId = locationId,
                ContactId = contactId,
                Type = ConversationKind.Phone,
                LastMessageBody = "",
                LastMessageDate = stamp,
                LastManualMessageDate = stamp,
                DateAdded = now,
                DateUpdated = now,
                Inbox = true,
                FullName = sibling?.FullName,
                ContactName = sibling?.ContactName,
                Email = sibling?.Email,
                Phone = sibling?.Phone,
                CreatedByApi = true,
            };
            _conversations[created.Id] = created;
            _createdCount++;
            return created.Clone();
        }
    }

    /// <summary>Applies <paramref name="change"/> to a live conversation; null when it does not exist or is deleted.</summary>
    internal StoredConversation? Update(string id, DateTimeOffset now, Action<StoredConversation> change)
    {
        lock (_gate)
        {
            if (!_conversations.TryGetValue(id, out var c) || c.Deleted) return null;
            change(c);
            c.DateUpdated = now;
            return c.Clone();
        }
    }

    private DateTimeOffset UniqueLastMessageDate(DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        var taken = _conversations.Values.Select(c => c.LastMessageDate.ToUnixTimeMilliseconds()).ToHashSet();
        while (taken.Contains(ms)) ms++;
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    private string NewId()
    {
        string id;
        do id = new string(RandomNumberGenerator.GetItems<char>(IdAlphabet, 20));
        while (_conversations.ContainsKey(id));
        return id;
    }
}
