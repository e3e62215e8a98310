namespace LeadConnector.Emulator;

/// <summary>A custom subscription subtype of a location (CreateCustomSubtypeDto / UpdateCustomSubtypeDto and its id).</summary>
public sealed class StoredCustomSubtype
{
    public string Id { get; set; } = "";
    public string LocationId { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>email or sms.</summary>
    public string Channel { get; set; } = "email";
    public string Language { get; set; } = "en";
    public bool Archived { get; set; }
    public string? ResubscriptionLegalFormId { get; set; }
    public DateTimeOffset DateAdded { get; set; }
    public DateTimeOffset DateUpdated { get; set; }

    public StoredCustomSubtype Clone() => (StoredCustomSubtype)MemberwiseClone();
}

/// <summary>
/// One stored subscription status of a contact's email address: the default "One on One" type or a custom subtype.
/// A status that was never stored is "subscribed".
/// </summary>
public sealed class StoredSubscription
{
    public string LocationId { get; set; } = "";
    public string ContactId { get; set; } = "";
    public string Email { get; set; } = "";
    /// <summary>default or custom.</summary>
    public string Type { get; set; } = "default";
    /// <summary>The custom subtype's id (custom only).</summary>
    public string? SubtypeId { get; set; }
    /// <summary>subscribed or unsubscribed.</summary>
    public string Status { get; set; } = "subscribed";
    public DateTimeOffset DateUpdated { get; set; }

    internal string Key => Keys(LocationId, ContactId, Email, Type, SubtypeId);

    internal static string Keys(string location, string contact, string email, string type, string? subtypeId) =>
        $"{location}|{contact}|{email.ToLowerInvariant()}|{type}|{subtypeId}";

    public StoredSubscription Clone() => (StoredSubscription)MemberwiseClone();
}

/// <summary>One subscription status as GET .../unsubscriptions/status reports it (stored or the default).</summary>
public sealed record SubscriptionRow(string Email, string Type, string SubtypeName, string? SubtypeId, string Status, string Channel, DateTimeOffset? DateUpdated);

/// <summary>A typing indicator a live-chat agent or bot sent.</summary>
public sealed record TypingEvent(string ConversationId, string VisitorId, bool IsTyping, DateTimeOffset At);

/// <summary>
/// Preferences (custom subtypes, subscription statuses), the reviews that review conversations come from, and the
/// live-chat typing indicators. Seeded by <see cref="Seed"/> (Seed.Preferences.cs); none of it changes the seeded
/// conversations, contacts or messages that other tests count.
/// </summary>
public sealed partial class DataStore
{
    public const string OneOnOne = "One on One";

    private readonly Dictionary<string, StoredCustomSubtype> _customSubtypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredSubscription> _subscriptions = new(StringComparer.Ordinal);
    /// <summary>Contact id -> the email addresses it has besides its primary one.</summary>
    private readonly Dictionary<string, List<string>> _extraEmails = new(StringComparer.Ordinal);
    /// <summary>Conversation id -> the id of the Google review it came from.</summary>
    private readonly Dictionary<string, string> _reviews = new(StringComparer.Ordinal);
    private readonly List<TypingEvent> _typing = [];
    private int _legalForms;

    /// <summary>Restores the seeded preferences and reviews; called by <see cref="Reseed"/> under the lock.</summary>
    private void ReseedPreferences()
    {
        _customSubtypes.Clear();
        _subscriptions.Clear();
        _extraEmails.Clear();
        _reviews.Clear();
        _typing.Clear();
        _legalForms = 0;
        foreach (var s in Seed.CustomSubtypes()) _customSubtypes[s.Id] = s;
        foreach (var s in Seed.Subscriptions()) _subscriptions[s.Key] = s;
        foreach (var (contact, email) in Seed.ExtraEmails())
        {
            if (!_extraEmails.TryGetValue(contact, out var list)) _extraEmails[contact] = list = [];
            list.Add(email);
        }
        foreach (var c in _conversations.Values.Where(c => c.Type == ConversationKind.Review)) _reviews[c.Id] = Seed.ReviewId(c.Id);
    }

    /// <summary>Legal forms created for user-initiated resubscribe actions on custom subscriptions since the last reseed.</summary>
    public int LegalFormCount { get { lock (_gate) return _legalForms; } }

    /// <summary>Typing indicators received since the last reseed, in order.</summary>
    public IReadOnlyList<TypingEvent> TypingEvents { get { lock (_gate) return [.. _typing]; } }

    /// <summary>The review id of a conversation that came from a review; null for any other conversation.</summary>
    public string? ReviewIdOf(string conversationId) { lock (_gate) return _reviews.GetValueOrDefault(conversationId); }

    /// <summary>Custom subtypes of a location (archived ones too), oldest first.</summary>
    public IReadOnlyList<StoredCustomSubtype> CustomSubtypes(string locationId)
    {
        lock (_gate)
            return [.. _customSubtypes.Values.Where(s => s.LocationId == locationId)
                .OrderBy(s => s.DateAdded).ThenBy(s => s.Id, StringComparer.Ordinal).Select(s => s.Clone())];
    }

    /// <summary>The subtype when it exists in the location; null otherwise.</summary>
    public StoredCustomSubtype? GetCustomSubtype(string locationId, string id)
    {
        lock (_gate) return _customSubtypes.TryGetValue(id, out var s) && s.LocationId == locationId ? s.Clone() : null;
    }

    /// <summary>Creates a subtype; null when the location already has one of that name on that channel.</summary>
    internal StoredCustomSubtype? CreateCustomSubtype(string locationId, string name, string? description, string channel, string language, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (NameTaken(locationId, channel, name, null)) return null;
            string id;
            do id = NewId();
            while (_customSubtypes.ContainsKey(id));
            var created = new StoredCustomSubtype
            {
                Id = id, LocationId = locationId, Name = name, Description = description, Channel = channel, Language = language,
                DateAdded = now, DateUpdated = now,
            };
            _customSubtypes[id] = created;
            return created.Clone();
        }
    }

    /// <summary>Applies a change; (null, false) when unknown in the location, (null, true) when the new name is taken.</summary>
    internal (StoredCustomSubtype? Updated, bool NameTaken) UpdateCustomSubtype(string locationId, string id, string? name, string? description,
        bool? archived, string? legalFormId, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_customSubtypes.TryGetValue(id, out var s) || s.LocationId != locationId) return (null, false);
            if (name is not null && NameTaken(locationId, s.Channel, name, id)) return (null, true);
            if (name is not null) s.Name = name;
            if (description is not null) s.Description = description;
            if (archived is bool a) s.Archived = a;
            if (legalFormId is not null) s.ResubscriptionLegalFormId = legalFormId;
            s.DateUpdated = now;
            return (s.Clone(), false);
        }
    }

    private bool NameTaken(string locationId, string channel, string name, string? except) =>
        _customSubtypes.Values.Any(s => s.LocationId == locationId && s.Channel == channel && s.Id != except
            && string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The contact's email addresses: its primary one first, then the others it has.</summary>
    public IReadOnlyList<string> EmailsOf(string contactId)
    {
        lock (_gate)
        {
            var emails = new List<string>();
            if (_contacts.TryGetValue(contactId, out var c) && !string.IsNullOrEmpty(c.Email)) emails.Add(c.Email);
            if (_extraEmails.TryGetValue(contactId, out var more))
                emails.AddRange(more.Where(e => !emails.Contains(e, StringComparer.OrdinalIgnoreCase)));
            return emails;
        }
    }

    /// <summary>
    /// The subscription statuses of a contact's address (every address when <paramref name="email"/> is null): the default
    /// "One on One" type and every email custom subtype of the location that is not archived; never stored = subscribed.
    /// </summary>
    public IReadOnlyList<SubscriptionRow> SubscriptionRows(string locationId, string contactId, string? email)
    {
        lock (_gate)
        {
            var rows = new List<SubscriptionRow>();
            var subtypes = _customSubtypes.Values.Where(s => s.LocationId == locationId && s.Channel == "email" && !s.Archived)
                .OrderBy(s => s.DateAdded).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
            foreach (var address in EmailsOf(contactId))
            {
                if (email is not null && !string.Equals(address, email, StringComparison.OrdinalIgnoreCase)) continue;
                var stored = _subscriptions.GetValueOrDefault(StoredSubscription.Keys(locationId, contactId, address, "default", null));
                rows.Add(new SubscriptionRow(address, "default", OneOnOne, null, stored?.Status ?? "subscribed", "email", stored?.DateUpdated));
                foreach (var s in subtypes)
                {
                    stored = _subscriptions.GetValueOrDefault(StoredSubscription.Keys(locationId, contactId, address, "custom", s.Id));
                    rows.Add(new SubscriptionRow(address, "custom", s.Name, s.Id, stored?.Status ?? "subscribed", "email", stored?.DateUpdated));
                }
            }
            return rows;
        }
    }

    /// <summary>
    /// Applies a user's subscription change to one address: one type (default or custom), or resub_all (every stored
    /// status of the address back to subscribed). A resubscribe to a custom subtype creates a legal form.
    /// </summary>
    internal void ChangeSubscription(string locationId, string contactId, string email, string type, string? subtypeId, string status, DateTimeOffset now)
    {
        lock (_gate)
        {
            var address = EmailsOf(contactId).First(e => string.Equals(e, email, StringComparison.OrdinalIgnoreCase));
            if (type == "resub_all")
            {
                foreach (var s in _subscriptions.Values.Where(s => s.LocationId == locationId && s.ContactId == contactId
                             && string.Equals(s.Email, address, StringComparison.OrdinalIgnoreCase)))
                {
                    s.Status = "subscribed";
                    s.DateUpdated = now;
                }
                return;
            }
            var entry = new StoredSubscription
            {
                LocationId = locationId, ContactId = contactId, Email = address, Type = type, SubtypeId = type == "custom" ? subtypeId : null,
                Status = status, DateUpdated = now,
            };
            _subscriptions[entry.Key] = entry;
            if (type == "custom" && status == "subscribed") _legalForms++;
        }
    }

    /// <summary>Posts a reply to the review a conversation came from: an outbound TYPE_REVIEW message of the conversation.</summary>
    internal StoredMessage? ReplyToReview(string conversationId, string message, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_conversations.TryGetValue(conversationId, out var c) || c.Deleted || !_reviews.ContainsKey(conversationId)) return null;
            string id;
            do id = NewId();
            while (_messages.ContainsKey(id));
            var reply = new StoredMessage
            {
                Id = id, LocationId = c.LocationId, ContactId = c.ContactId, ConversationId = c.Id, MessageType = "TYPE_REVIEW",
                DateAdded = now, Body = message, Direction = "outbound", Status = "delivered", ContentType = "text/plain", Source = "api",
            };
            _messages[id] = reply;
            var stamp = UniqueLastMessageDate(now);
            c.LastMessageBody = message;
            c.LastMessageType = "TYPE_REVIEW";
            c.LastMessageDirection = "outbound";
            c.LastMessageDate = stamp;
            c.LastManualMessageDate = stamp;
            c.DateUpdated = now;
            return reply.Clone();
        }
    }

    internal void RecordTyping(TypingEvent typing)
    {
        lock (_gate) _typing.Add(typing);
    }
}
