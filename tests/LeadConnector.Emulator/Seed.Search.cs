namespace LeadConnector.Emulator;

/// <summary>
/// What the search's followers, mentions and score-profile filters read: fixed tables keyed by conversation id, apart
/// from the stored conversations, so that nothing existing tests count changes. Conversations not listed (the rest, and
/// those created through the API) have no followers, no mentions and no score.
/// </summary>
public static partial class Seed
{
    /// <summary>The seeded score profile; conv-a001..conv-a010 hold a score in it (conv-aN: N * 37 % 100).</summary>
    public const string ScoreProfileId = "score-engagement";

    /// <summary>conv-a001..a005 are followed by user-bruno; conv-a003 also by user-chen.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Followers = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["conv-a001"] = ["user-bruno"],
        ["conv-a002"] = ["user-bruno"],
        ["conv-a003"] = ["user-bruno", "user-chen"],
        ["conv-a004"] = ["user-bruno"],
        ["conv-a005"] = ["user-bruno"],
    };

    /// <summary>user-chen is mentioned in conv-a002 and conv-a004, user-alice in conv-a004.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Mentions = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["conv-a002"] = ["user-chen"],
        ["conv-a004"] = ["user-chen", "user-alice"],
    };

    /// <summary>Score profile -> conversation id -> score.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Scores =
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal)
        {
            [ScoreProfileId] = Enumerable.Range(1, 10).ToDictionary(AlphaConversationId, n => (double)(n * 37 % 100), StringComparer.Ordinal),
        };

    /// <summary>
    /// The action of a conversation's last outbound message, as the emulator derives it: manual when the last manual
    /// message is the last message or within a day of it (conv-aN with N % 4 == 0, and every conversation the API wrote
    /// to), else automated.
    /// </summary>
    public static string LastMessageAction(StoredConversation c) =>
        (c.LastMessageDate - c.LastManualMessageDate).Duration() < TimeSpan.FromDays(1) ? "manual" : "automated";
}
