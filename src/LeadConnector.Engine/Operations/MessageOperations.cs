using System;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>Message endpoints.</summary>
    public sealed class MessageOperations
    {
        private readonly Connection _connection;

        public MessageOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>GET /conversations/messages/email/{id}.</summary>
        public async Task<EmailMessage> GetEmailAsync(string id, LcCall call)
        {
            InputGuard.Id(id, "email message id");
            var path = "conversations/messages/email/" + id;
            var body = await _connection.Client.SendAsync(HttpMethod.Get, path, null, null, call).ConfigureAwait(false);
            var inner = JsonRead.Unwrap(body, "emailMessage");
            if (inner == null) throw ConversationOperations.Unexpected("GET", path, "an email message object");
            return EmailMessage.Read(inner.Value);
        }
    }
}
