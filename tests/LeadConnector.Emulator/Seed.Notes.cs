namespace LeadConnector.Emulator;

public static partial class Seed
{
    /// <summary>The contact with seeded notes (two: one pinned with a title, one plain).</summary>
    public const string NotedContactId = "contact-a003";

    /// <summary>Workflows, id -> location: wf-welcome and wf-nurture in loc-alpha, wf-beta-onboarding in loc-beta.</summary>
    public static readonly IReadOnlyList<(string Id, string LocationId)> Workflows =
    [
        ("wf-welcome", AlphaLocation), ("wf-nurture", AlphaLocation), ("wf-beta-onboarding", BetaLocation),
    ];

    internal static IEnumerable<StoredNote> Notes()
    {
        yield return new StoredNote
        {
            Id = "note-a003-1", ContactId = NotedContactId, Title = "Follow-up summary", Color = "#FFAA00", Pinned = true,
            UserId = "user-alice", Body = "Called about the quote; wants a callback on Thursday.",
            DateAdded = new DateTimeOffset(2025, 3, 4, 10, 15, 0, TimeSpan.Zero),
        };
        yield return new StoredNote
        {
            Id = "note-a003-2", ContactId = NotedContactId, UserId = "user-bruno",
            Body = "Prefers SMS over email.\nBest time: mornings.",
            DateAdded = new DateTimeOffset(2025, 2, 11, 16, 40, 0, TimeSpan.Zero),
        };
        yield return new StoredNote
        {
            Id = "note-b001-1", ContactId = "contact-b001", UserId = "user-chen", Body = "Interior design brief received.",
            DateAdded = new DateTimeOffset(2025, 1, 20, 9, 0, 0, TimeSpan.Zero),
        };
    }
}
