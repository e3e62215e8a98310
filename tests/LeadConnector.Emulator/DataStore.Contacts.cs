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

    public string ContactName => string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrEmpty(n)));

    public StoredContact Clone()
    {
        var copy = (StoredContact)MemberwiseClone();
        copy.Tags = [.. Tags];
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
}
