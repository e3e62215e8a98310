using System;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>The live-chat provider endpoint: POST /conversations/providers/live-chat/typing.</summary>
    public sealed class LiveChatOperations
    {
        private const string Path = "conversations/providers/live-chat/typing";

        private readonly Connection _connection;

        public LiveChatOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        private sealed class Answer
        {
            public bool? Success;
        }

        private static readonly FieldMap<Answer> AnswerFields = new FieldMap<Answer>(() => new Answer())
            .Add("success", (ref JsonSource s, Answer a) => a.Success = s.Bool());

        /// <summary>
        /// Shows (or hides) the typing indicator to a live-chat visitor (UserTypingBody: locationId, isTyping, visitorId,
        /// conversationId; every one required). isTyping is a string in the contract: "true" or "false".
        /// </summary>
        public LcRequest<TypingIndicator> Typing(string conversationId, string visitorId, bool isTyping, string? locationId)
        {
            InputGuard.Id(conversationId, "conversation id");
            InputGuard.Id(visitorId, "visitor id");
            var location = new ConversationOperations(_connection).ResolveLocation(locationId);
            var json = JsonBody.Write(w =>
            {
                w.WriteString("locationId", location);
                w.WriteString("isTyping", isTyping ? "true" : "false");
                w.WriteString("visitorId", visitorId);
                w.WriteString("conversationId", conversationId);
            });
            return new LcRequest<TypingIndicator>(_connection, HttpMethod.Post, Path, null, json, body =>
            {
                bool? success = AnswerFields.TryReadBody(body, out var answer) ? answer.Success : null;
                if (success == false)
                    throw new LcException(LcErrorKind.InvalidResponse, $"The API answered success=false to POST /{Path}.", method: "POST", path: "/" + Path);
                return new TypingIndicator { ConversationId = conversationId, VisitorId = visitorId, LocationId = location, IsTyping = isTyping, Success = success };
            }, location);
        }

        /// <summary>Sends <see cref="Typing"/>.</summary>
        public async Task<TypingIndicator> TypingAsync(string conversationId, string visitorId, bool isTyping, string? locationId, LcCall call) =>
            await Typing(conversationId, visitorId, isTyping, locationId).SendAsync(call).ConfigureAwait(false);
    }
}
