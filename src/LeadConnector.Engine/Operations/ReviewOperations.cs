using System;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>POST /conversations/messages/review-reply: a reply to a Google (My Business) review in its conversation.</summary>
    public sealed class ReviewOperations
    {
        private const string Path = "conversations/messages/review-reply";

        private readonly Connection _connection;

        public ReviewOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>
        /// The reply (SendReviewReplyDto: conversationId, locationId, message), checked once: the conversation id, the
        /// location, a message that is not blank. The conversation must be one of a review (the API refuses others).
        /// </summary>
        public LcRequest<SendResult> Reply(string conversationId, string message, string? locationId)
        {
            InputGuard.Id(conversationId, "conversation id");
            var location = new ConversationOperations(_connection).ResolveLocation(locationId);
            if (string.IsNullOrWhiteSpace(message)) throw LcException.InvalidInput("The reply is empty: pass -Message with the text to post. Nothing was sent.");
            foreach (var c in message)
                if (char.IsControl(c) && c != '\n' && c != '\r' && c != '\t')
                    throw LcException.InvalidInput($"The reply contains a control character (U+{(int)c:X4}). Nothing was sent.");
            var json = JsonBody.Write(w =>
            {
                w.WriteString("conversationId", conversationId);
                w.WriteString("locationId", location);
                w.WriteString("message", message);
            });
            return new LcRequest<SendResult>(_connection, HttpMethod.Post, Path, null, json,
                body => SendResult.Fields.TryReadBody(body, out var result) ? result : throw ConversationOperations.Unexpected("POST", Path, "a send result object"),
                location);
        }

        /// <summary>Sends <see cref="Reply"/>.</summary>
        public async Task<SendResult> ReplyAsync(string conversationId, string message, string? locationId, LcCall call) =>
            await Reply(conversationId, message, locationId).SendAsync(call).ConfigureAwait(false);
    }
}
