namespace LeadConnector.Emulator;

/// <summary>A note on a contact as the emulator stores it.</summary>
public sealed class StoredNote
{
    public string Id { get; set; } = "";
    public string ContactId { get; set; } = "";
    public string Body { get; set; } = "";
    public string? Title { get; set; }
    public string? Color { get; set; }
    public bool Pinned { get; set; }
    public string? UserId { get; set; }
    public DateTimeOffset DateAdded { get; set; }

    public StoredNote Clone() => (StoredNote)MemberwiseClone();
}

/// <summary>One POST /contacts/{contactId}/workflow/{workflowId} the emulator accepted (and, when a DELETE followed, when it ended).</summary>
public sealed class StoredEnrollment
{
    public long Sequence { get; set; }
    public string ContactId { get; set; } = "";
    public string WorkflowId { get; set; } = "";
    public string LocationId { get; set; } = "";
    /// <summary>The eventStartTime the request carried, as sent; null when none.</summary>
    public string? EventStartTime { get; set; }
    public DateTimeOffset EnrolledAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }

    public StoredEnrollment Clone() => (StoredEnrollment)MemberwiseClone();
}

/// <summary>Notes, tag changes and workflow enrollments of contacts.</summary>
public sealed partial class DataStore
{
    private readonly Dictionary<string, StoredNote> _notes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _workflows = new(StringComparer.Ordinal);
    private readonly List<StoredEnrollment> _enrollments = [];
    private long _enrollmentSequence;
    private int _noteSequence;

    /// <summary>Called by <see cref="Reseed"/> under the lock: the seeded notes and workflows, no enrollments.</summary>
    private void ReseedNotesAndWorkflows()
    {
        _notes.Clear();
        _workflows.Clear();
        _enrollments.Clear();
        _enrollmentSequence = 0;
        _noteSequence = 0;
        foreach (var n in Seed.Notes()) _notes[n.Id] = n;
        foreach (var (id, location) in Seed.Workflows) _workflows[id] = location;
    }

    /// <summary>A contact's notes, newest first (ties by id).</summary>
    public IReadOnlyList<StoredNote> Notes(string contactId)
    {
        lock (_gate)
            return [.. _notes.Values.Where(n => n.ContactId == contactId)
                .OrderByDescending(n => n.DateAdded).ThenBy(n => n.Id, StringComparer.Ordinal).Select(n => n.Clone())];
    }

    /// <summary>The note when it exists and belongs to the contact; else null.</summary>
    public StoredNote? GetNote(string contactId, string id)
    {
        lock (_gate) return _notes.TryGetValue(id, out var n) && n.ContactId == contactId ? n.Clone() : null;
    }

    internal StoredNote AddNote(string contactId, string body, string? title, string? color, bool pinned, string? userId, DateTimeOffset now)
    {
        lock (_gate)
        {
            string id;
            do id = $"note-{++_noteSequence:000000}-" + new string(System.Security.Cryptography.RandomNumberGenerator.GetItems<char>(IdAlphabet, 8));
            while (_notes.ContainsKey(id));
            var note = new StoredNote { Id = id, ContactId = contactId, Body = body, Title = title, Color = color, Pinned = pinned, UserId = userId, DateAdded = now };
            _notes[id] = note;
            return note.Clone();
        }
    }

    /// <summary>Applies <paramref name="change"/> to the contact's note; null when there is none.</summary>
    internal StoredNote? UpdateNote(string contactId, string id, Action<StoredNote> change)
    {
        lock (_gate)
        {
            if (!_notes.TryGetValue(id, out var n) || n.ContactId != contactId) return null;
            change(n);
            return n.Clone();
        }
    }

    internal bool DeleteNote(string contactId, string id)
    {
        lock (_gate) return _notes.TryGetValue(id, out var n) && n.ContactId == contactId && _notes.Remove(id);
    }

    /// <summary>Adds tags to a contact (a tag it has, ignoring case, is not added twice); its tags after, or null when the contact is unknown.</summary>
    internal string[]? AddContactTags(string contactId, IReadOnlyList<string> tags, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_contacts.TryGetValue(contactId, out var c)) return null;
            var result = c.Tags.ToList();
            foreach (var t in tags)
                if (!result.Contains(t, StringComparer.OrdinalIgnoreCase)) result.Add(t);
            c.Tags = [.. result];
            c.DateUpdated = now;
            return [.. c.Tags];
        }
    }

    /// <summary>Removes tags from a contact (ignoring case; a tag it does not have is no error); its tags after, or null when the contact is unknown.</summary>
    internal string[]? RemoveContactTags(string contactId, IReadOnlyList<string> tags, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_contacts.TryGetValue(contactId, out var c)) return null;
            c.Tags = [.. c.Tags.Where(t => !tags.Contains(t, StringComparer.OrdinalIgnoreCase))];
            c.DateUpdated = now;
            return [.. c.Tags];
        }
    }

    /// <summary>The location of a workflow, or null when it does not exist.</summary>
    public string? WorkflowLocation(string workflowId)
    {
        lock (_gate) return _workflows.TryGetValue(workflowId, out var l) ? l : null;
    }

    /// <summary>Records an enrollment: every accepted POST is one, so a resent POST shows as two.</summary>
    internal StoredEnrollment Enroll(string contactId, string workflowId, string locationId, string? eventStartTime, DateTimeOffset now)
    {
        lock (_gate)
        {
            var e = new StoredEnrollment
            {
                Sequence = ++_enrollmentSequence, ContactId = contactId, WorkflowId = workflowId, LocationId = locationId,
                EventStartTime = eventStartTime, EnrolledAt = now,
            };
            _enrollments.Add(e);
            return e.Clone();
        }
    }

    /// <summary>Ends the contact's active enrollments in the workflow; how many there were.</summary>
    internal int Unenroll(string contactId, string workflowId, DateTimeOffset now)
    {
        lock (_gate)
        {
            var active = _enrollments.Where(e => e.ContactId == contactId && e.WorkflowId == workflowId && e.RemovedAt is null).ToList();
            foreach (var e in active) e.RemovedAt = now;
            return active.Count;
        }
    }

    /// <summary>Every enrollment since the last reseed, in order (removed ones included, with RemovedAt).</summary>
    public IReadOnlyList<StoredEnrollment> Enrollments()
    {
        lock (_gate) return [.. _enrollments.Select(e => e.Clone())];
    }
}
