namespace LeadConnector.Emulator;

/// <summary>One sentence of a call's transcription (GetMessageTranscriptionResponseDto).</summary>
public sealed record TranscriptSentence(int MediaChannel, int SentenceIndex, int StartTime, int EndTime, string Transcript, double Confidence);

/// <summary>
/// What the message actions of issue 14 need, in conv-a040 (contact-a040), whose other messages no test counts:
/// a scheduled SMS (msg-sched-a040) and a scheduled email (email-sched-a040) to cancel, and a call
/// (msg-call-a040) with a recording of <see cref="SeededRecordingBytes"/> bytes and a transcription.
/// </summary>
public static partial class Seed
{
    public const string ScheduledConversationId = "conv-a040";
    public const string ScheduledMessageId = "msg-sched-a040";
    public const string ScheduledEmailId = "email-sched-a040";
    public const string CallMessageId = "msg-call-a040";
    public const long SeededRecordingBytes = 4096;

    /// <summary>When the seeded messages are scheduled for: far enough ahead to stay scheduled.</summary>
    public static readonly DateTimeOffset ScheduledFor = new(2030, 1, 15, 10, 0, 0, TimeSpan.Zero);

    internal static readonly TranscriptSentence[] CallTranscript =
    [
        new(1, 1, 0, 3400, "Thanks for calling Larsen & Co, this call may be recorded.", 0.97),
        new(2, 2, 3600, 7150, "Hi, I'd like to move my appointment to Thursday.", 0.91),
        new(1, 3, 7300, 10020, "Sure, Thursday at 10am is free. Shall I book it?", 0.88),
        new(2, 4, 10200, 11500, "Yes please, thank you.", 0.95),
    ];

    /// <summary>The extra messages of <paramref name="c"/> (none unless it is conv-a040).</summary>
    private static IEnumerable<(StoredMessage Message, StoredEmail? Email)> ScheduledAndCalls(StoredConversation c)
    {
        if (c.Id != ScheduledConversationId) yield break;
        yield return (new StoredMessage
        {
            Id = ScheduledMessageId, LocationId = c.LocationId, ContactId = c.ContactId, ConversationId = c.Id, MessageType = "TYPE_SMS",
            DateAdded = ScheduledFor, Body = "Reminder: your visit is on Thursday at 10am.", Direction = "outbound", Status = "scheduled",
            Source = "app", UserId = c.AssignedTo,
        }, null);
        const string subject = "Your visit on Thursday";
        const string html = "<p>See you on Thursday at 10am.</p>";
        yield return (new StoredMessage
        {
            Id = ScheduledEmailId, LocationId = c.LocationId, ContactId = c.ContactId, ConversationId = c.Id, MessageType = "TYPE_EMAIL",
            DateAdded = ScheduledFor.AddMinutes(5), Body = html, Direction = "outbound", Status = "scheduled", ContentType = "text/html",
            Source = "app", UserId = c.AssignedTo, Subject = subject,
        }, new StoredEmail
        {
            Id = ScheduledEmailId, ThreadId = $"thread-{c.Id}", LocationId = c.LocationId, ContactId = c.ContactId, ConversationId = c.Id,
            DateAdded = ScheduledFor.AddMinutes(5), Subject = subject, Body = html, Direction = "outbound", Status = "scheduled",
            ContentType = "text/html", Provider = "Leadconnector Gmail", From = "Front Desk <frontdesk@example.com>",
            To = c.Email is null ? [] : [c.Email], Source = "app",
        });
        yield return (new StoredMessage
        {
            Id = CallMessageId, LocationId = c.LocationId, ContactId = c.ContactId, ConversationId = c.Id, MessageType = "TYPE_CALL",
            DateAdded = c.LastMessageDate.AddDays(-3), Body = null, Direction = "inbound", Status = "delivered",
            RecordingBytes = SeededRecordingBytes, Transcript = CallTranscript,
        }, null);
    }

    /// <summary>Byte <paramref name="index"/> of every generated recording: a fixed pattern, so a copy can be checked.</summary>
    internal static byte RecordingByte(long index) => (byte)((index * 31 + 7) % 251);
}
