using System.Collections.Concurrent;

namespace LeadConnector.Emulator;

/// <summary>What POST /conversations/messages/inbound or /outbound asks for, validated.</summary>
internal sealed record AddRequest(
    bool Outbound, string MessageType, string ConversationId, string? ContactId, string ConversationProviderId, string? Body,
    string? Html, string? Subject, string? EmailFrom, string? EmailTo, string[] Cc, string[] Bcc, string? EmailMessageId,
    string? AltId, DateTimeOffset? Date, string? CallStatus, string[] Attachments);

/// <summary>The message actions of issue 14: cancel scheduled, status, attachments, add, export, recordings.</summary>
public sealed partial class DataStore
{
    /// <summary>Locations whose export is generated (not stored): location -> message count. See <see cref="SetSyntheticExport"/>.</summary>
    private readonly ConcurrentDictionary<string, int> _syntheticExports = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes GET /conversations/messages/export of <paramref name="locationId"/> answer <paramref name="count"/> generated
    /// messages, made page by page on request (nothing is stored), for tests of memory over very long exports. A location
    /// the emulator forgot (a reset) answers nothing of it.
    /// </summary>
    public void SetSyntheticExport(string locationId, int count)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(locationId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) _syntheticExports.TryRemove(locationId, out _);
        else _syntheticExports[locationId] = count;
    }

    internal int? SyntheticExport(string locationId) => _syntheticExports.TryGetValue(locationId, out var n) ? n : null;

    /// <summary>Cancels a scheduled message (or email): it is removed. Null when unknown; false when not scheduled.</summary>
    internal bool? CancelScheduled(string id, bool email, string locationId, out bool forbidden)
    {
        lock (_gate)
        {
            forbidden = false;
            string? location = email
                ? _emails.TryGetValue(id, out var e) ? e.LocationId : null
                : _messages.TryGetValue(id, out var m) && _conversations.TryGetValue(m.ConversationId, out var c) && !c.Deleted ? m.LocationId : null;
            if (location is null) return null;
            if (location != locationId) { forbidden = true; return false; }
            var status = email ? _emails[id].Status : _messages[id].Status;
            if (status != "scheduled") return false;
            _messages.Remove(id);
            _emails.Remove(id);
            return true;
        }
    }

    /// <summary>Changes a live message; null when unknown.</summary>
    internal StoredMessage? ChangeMessage(string id, Action<StoredMessage> change)
    {
        lock (_gate)
        {
            if (!_messages.TryGetValue(id, out var m) || !_conversations.TryGetValue(m.ConversationId, out var c) || c.Deleted) return null;
            change(m);
            if (_emails.TryGetValue(id, out var e)) e.Status = m.Status;
            return m.Clone();
        }
    }

    /// <summary>Adds an inbound or outbound message to an existing conversation.</summary>
    internal StoredMessage Add(AddRequest request, StoredConversation conversation, DateTimeOffset now)
    {
        lock (_gate)
        {
            var isEmail = request.MessageType == "TYPE_EMAIL";
            string id;
            do id = (isEmail ? "email-" : "msg-") + NewId();
            while (_messages.ContainsKey(id) || _emails.ContainsKey(id));
            var direction = request.Outbound ? "outbound" : "inbound";
            var message = new StoredMessage
            {
                Id = id, LocationId = conversation.LocationId, ContactId = conversation.ContactId, ConversationId = conversation.Id,
                MessageType = request.MessageType, DateAdded = request.Date ?? now, Body = isEmail ? request.Html ?? request.Body : request.Body,
                Direction = direction, Status = request.MessageType == "TYPE_CALL" ? "delivered" : request.Outbound ? "delivered" : "read",
                ContentType = isEmail && request.Html is not null ? "text/html" : "text/plain", Attachments = request.Attachments,
                Source = "api", ConversationProviderId = request.ConversationProviderId, Subject = request.Subject,
                SubType = request.Outbound ? "EXTERNAL_CALL" : null, AltId = request.AltId,
            };
            _messages[id] = message;
            if (isEmail)
            {
                _emails[id] = new StoredEmail
                {
                    Id = id, AltId = request.AltId, ThreadId = request.EmailMessageId ?? id, LocationId = message.LocationId,
                    ContactId = message.ContactId, ConversationId = message.ConversationId, DateAdded = message.DateAdded,
                    Subject = request.Subject, Body = message.Body ?? "", Direction = direction, Status = message.Status,
                    ContentType = message.ContentType, Attachments = request.Attachments, Provider = "custom",
                    From = request.EmailFrom ?? conversation.Email ?? "", To = request.EmailTo is null ? [] : [request.EmailTo],
                    Cc = request.Cc, Bcc = request.Bcc, ReplyToMessageId = request.EmailMessageId, Source = "api",
                    ConversationProviderId = request.ConversationProviderId,
                };
            }
            return message.Clone();
        }
    }

    /// <summary>A location's live messages that pass <paramref name="keep"/>, in <paramref name="ascending"/> date order (ties by id).</summary>
    internal List<StoredMessage> LocationMessages(string locationId, Func<StoredMessage, bool> keep, bool ascending)
    {
        lock (_gate)
        {
            var live = _messages.Values.Where(m => m.LocationId == locationId && keep(m) &&
                _conversations.TryGetValue(m.ConversationId, out var c) && !c.Deleted);
            var sorted = ascending
                ? live.OrderBy(m => m.DateAdded).ThenBy(m => m.Id, StringComparer.Ordinal)
                : live.OrderByDescending(m => m.DateAdded).ThenBy(m => m.Id, StringComparer.Ordinal);
            return [.. sorted.Select(m => m.Clone())];
        }
    }
}
