using System.Security.Cryptography;

namespace LeadConnector.Emulator;

/// <summary>A contact as the emulator stores it.</summary>
public sealed class StoredContact
{
    public string Id { get; set; } = "";
    public string LocationId { get; set; } = "";
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? CompanyName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string[] Tags { get; set; } = [];
    public DateTimeOffset DateAdded { get; set; }
    public DateTimeOffset DateUpdated { get; set; }
    public string? Source { get; set; }
    public string Type { get; set; } = "lead";
    public string? AssignedTo { get; set; }
    public bool Dnd { get; set; }
    public string? Timezone { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? Address1 { get; set; }
    public string? State { get; set; }
    public string? PostalCode { get; set; }
    public string? Website { get; set; }
    /// <summary>YYYY-MM-DD.</summary>
    public string? DateOfBirth { get; set; }
    public string? Gender { get; set; }
    /// <summary>The name the API was given (name), when neither first nor last name was.</summary>
    public string? FullName { get; set; }
    /// <summary>Custom field id (or key) → value as raw JSON.</summary>
    public Dictionary<string, string> CustomFields { get; set; } = new(StringComparer.Ordinal);
    /// <summary>dndSettings and inboundDndSettings as raw JSON, when set.</summary>
    public string? DndSettings { get; set; }
    public string? InboundDndSettings { get; set; }

    public string ContactName => string.IsNullOrEmpty(FirstName) && string.IsNullOrEmpty(LastName) && !string.IsNullOrEmpty(FullName)
        ? FullName
        : string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrEmpty(n)));

    public StoredContact Clone()
    {
        var copy = (StoredContact)MemberwiseClone();
        copy.Tags = [.. Tags];
        copy.CustomFields = new Dictionary<string, string>(CustomFields, StringComparer.Ordinal);
        return copy;
    }
}

public sealed partial class DataStore
{
    private readonly Dictionary<string, StoredContact> _contacts = new(StringComparer.Ordinal);

    public StoredContact? GetContact(string id)
    {
        lock (_gate) return _contacts.TryGetValue(id, out var c) ? c.Clone() : null;
    }

    /// <summary>Contacts of a location (copies), in id order.</summary>
    public IReadOnlyList<StoredContact> Contacts(string locationId)
    {
        lock (_gate)
            return [.. _contacts.Values.Where(c => c.LocationId == locationId).OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => c.Clone())];
    }

    /// <summary>Adds (or replaces) a contact.</summary>
    public void AddContact(StoredContact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        lock (_gate) _contacts[contact.Id] = contact.Clone();
    }

    /// <summary>Locations whose "Allow Duplicate Contact" setting is on (off by default, as in a new location).</summary>
    private readonly HashSet<string> _duplicatesAllowed = new(StringComparer.Ordinal);
    private int _contactsCreated;

    /// <summary>Contacts made through POST /contacts/ and /contacts/upsert since the last reseed.</summary>
    public int ContactsCreatedCount { get { lock (_gate) return _contactsCreated; } }

    public bool AllowsDuplicateContacts(string locationId)
    {
        lock (_gate) return _duplicatesAllowed.Contains(locationId);
    }

    public void SetAllowDuplicateContacts(string locationId, bool allowed)
    {
        lock (_gate)
        {
            if (allowed) _duplicatesAllowed.Add(locationId);
            else _duplicatesAllowed.Remove(locationId);
        }
    }

    /// <summary>Called by Reseed: contact settings and counters back to their defaults.</summary>
    private void ResetContactState()
    {
        _duplicatesAllowed.Clear();
        _contactsCreated = 0;
    }

    /// <summary>The phone as the API stores it: '+' and digits (a 10-digit number is taken as +1).</summary>
    public static string? NormalizePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0) return null;
        return phone.TrimStart().StartsWith('+') ? "+" + digits : digits.Length == 10 ? "+1" + digits : "+" + digits;
    }

    /// <summary>
    /// The contact the location takes as a duplicate: by email first (ignoring case), then by phone. Under the lock.
    /// </summary>
    private (StoredContact Contact, string Field)? MatchLocked(string locationId, string? email, string? phone)
    {
        var live = _contacts.Values.Where(c => c.LocationId == locationId).OrderBy(c => c.DateAdded).ThenBy(c => c.Id, StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(email) && live.FirstOrDefault(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase)) is { } byEmail)
            return (byEmail, "email");
        var p = NormalizePhone(phone);
        if (p is not null && live.FirstOrDefault(c => NormalizePhone(c.Phone) == p) is { } byPhone)
            return (byPhone, "phone");
        return null;
    }

    /// <summary>The duplicate of an email or phone (a copy), or null.</summary>
    public (StoredContact Contact, string Field)? FindDuplicate(string locationId, string? email, string? phone)
    {
        lock (_gate) return MatchLocked(locationId, email, phone) is { } m ? (m.Contact.Clone(), m.Field) : null;
    }

    /// <summary>
    /// POST /contacts/: creates the contact, unless the location does not allow duplicates and one matches (then the
    /// match is returned and nothing is made). One step under the lock, so concurrent creates cannot both pass the check.
    /// </summary>
    internal (StoredContact? Created, (StoredContact Contact, string Field)? Duplicate) CreateContact(StoredContact contact, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_duplicatesAllowed.Contains(contact.LocationId) && MatchLocked(contact.LocationId, contact.Email, contact.Phone) is { } dup)
                return (null, (dup.Contact.Clone(), dup.Field));
            return (AddNewLocked(contact, now), null);
        }
    }

    /// <summary>
    /// POST /contacts/upsert: updates the contact that matches by email, else phone (applying <paramref name="change"/>),
    /// or creates one. With <paramref name="createNewIfAllowed"/> and a location that allows duplicates, always creates.
    /// </summary>
    internal (StoredContact Contact, bool New) UpsertContact(StoredContact contact, Action<StoredContact> change, bool createNewIfAllowed, DateTimeOffset now)
    {
        lock (_gate)
        {
            var forceNew = createNewIfAllowed && _duplicatesAllowed.Contains(contact.LocationId);
            if (!forceNew && MatchLocked(contact.LocationId, contact.Email, contact.Phone) is { } match)
            {
                change(match.Contact);
                match.Contact.DateUpdated = now;
                return (match.Contact.Clone(), false);
            }
            return (AddNewLocked(contact, now), true);
        }
    }

    private StoredContact AddNewLocked(StoredContact contact, DateTimeOffset now)
    {
        var stored = contact.Clone();
        string id;
        do id = new string(RandomNumberGenerator.GetItems<char>(IdAlphabet, 20));
        while (_contacts.ContainsKey(id));
        stored.Id = id;
        // Unique dateAdded per location, so the default search order (dateAdded, then id) is the creation order.
        var ms = now.ToUnixTimeMilliseconds();
        var taken = _contacts.Values.Where(c => c.LocationId == stored.LocationId).Select(c => c.DateAdded.ToUnixTimeMilliseconds()).ToHashSet();
        while (taken.Contains(ms)) ms++;
        stored.DateAdded = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        stored.DateUpdated = stored.DateAdded;
        _contacts[id] = stored;
        _contactsCreated++;
        return stored.Clone();
    }

    /// <summary>Applies <paramref name="change"/> to a contact; null when it does not exist.</summary>
    internal StoredContact? UpdateContact(string id, DateTimeOffset now, Action<StoredContact> change)
    {
        lock (_gate)
        {
            if (!_contacts.TryGetValue(id, out var c)) return null;
            change(c);
            c.DateUpdated = now;
            return c.Clone();
        }
    }

    /// <summary>Deletes a contact; false when it does not exist.</summary>
    internal bool DeleteContact(string id)
    {
        lock (_gate) return _contacts.Remove(id);
    }
}
