using System;
using System.Threading.Tasks;

namespace LeadConnector
{
    /// <summary>
    /// What one cheap call says about a connection's token: GET /conversations/search for one conversation of the
    /// connection's location. A 401 means the token is bad (thrown); a 403 means the token is good but may not read
    /// conversations of that location (its scope or its location), which the result names.
    /// </summary>
    public sealed class ConnectionCheck
    {
        /// <summary>The scope the probe needs.</summary>
        public const string ProbeScope = "conversations.readonly";

        private ConnectionCheck(bool validated, string? refusal, string? notChecked = null)
        {
            Validated = validated;
            Refusal = refusal;
            NotChecked = notChecked;
        }

        /// <summary>True when the API answered the probe (with conversations or with a 403).</summary>
        public bool Validated { get; }

        /// <summary>Why nothing was checked (no location; the daily quota is used up), when <see cref="Validated"/> is false.</summary>
        public string? NotChecked { get; }

        /// <summary>The API's message when the token was good but refused the probe (403); null when it was answered.</summary>
        public string? Refusal { get; }

        /// <summary>The connection has no location to probe: nothing was sent.</summary>
        public static readonly ConnectionCheck NoLocation = new ConnectionCheck(false, null, "no location");

        /// <summary>
        /// Sends the probe. Throws the <see cref="LcException"/> of a 401 (Unauthorized) and of any failure other than a
        /// 403 or a spent daily quota; a 403 is returned as <see cref="Refusal"/>, a spent quota as <see cref="NotChecked"/>.
        /// </summary>
        public static async Task<ConnectionCheck> RunAsync(Connection connection, LcCall call)
        {
            if (connection == null) throw new ArgumentNullException(nameof(connection));
            if (connection.LocationId == null) return NoLocation;
            try
            {
                await new ConversationOperations(connection).Search(new ConversationQuery()).Page(1, null).SendAsync(call).ConfigureAwait(false);
                return new ConnectionCheck(true, null);
            }
            catch (LcException ex) when (ex.Kind == LcErrorKind.Forbidden)
            {
                var said = ex.Messages.Count > 0 ? string.Join("; ", ex.Messages) : ex.Message;
                return new ConnectionCheck(true, said);
            }
            catch (LcException ex) when (ex.Kind == LcErrorKind.DailyLimitReached)
            {
                // The location's daily quota is spent (known from earlier answers, or said by this one): the token
                // cannot be told good or bad until the reset, and the connection is still the one to use then.
                return new ConnectionCheck(false, null, "the daily quota is used up");
            }
        }
    }
}
