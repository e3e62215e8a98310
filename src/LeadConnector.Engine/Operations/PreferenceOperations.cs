using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>A custom subtype to create (CreateCustomSubtypeDto).</summary>
    public sealed class CustomSubtypeCreate
    {
        public string? LocationId { get; set; }
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        /// <summary>email or sms (any case; sent in lower case).</summary>
        public string Channel { get; set; } = "";
        public string Language { get; set; } = "";
    }

    /// <summary>The changes to a custom subtype (UpdateCustomSubtypeDto). Null fields are not sent.</summary>
    public sealed class CustomSubtypeUpdate
    {
        public string? LocationId { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public bool? Archived { get; set; }
        public string? ResubscriptionLegalFormId { get; set; }

        public bool HasChanges => Name != null || Description != null || Archived != null || ResubscriptionLegalFormId != null;
    }

    /// <summary>A subscription change a user (admin or agent) makes for a contact's email (UserSubscriptionChangeDto).</summary>
    public sealed class SubscriptionChange
    {
        public string? LocationId { get; set; }
        public string ContactId { get; set; } = "";
        public string Email { get; set; } = "";
        /// <summary>default, custom or resub_all (ResubAll is accepted for resub_all; any case).</summary>
        public string Type { get; set; } = "";
        /// <summary>subscribed or unsubscribed (any case). resub_all is always subscribed.</summary>
        public string? Status { get; set; }
        /// <summary>The default type's name: "One on One" (the only one; sent for the default type when not given).</summary>
        public string? SubtypeName { get; set; }
        /// <summary>The custom subtype's id (custom only).</summary>
        public string? SubtypeId { get; set; }
        /// <summary>legal_reason: required to resubscribe (status subscribed, resub_all).</summary>
        public string? LegalReason { get; set; }
        public string? LegalDescription { get; set; }
    }

    /// <summary>
    /// The preference endpoints of conversations.json: custom subscription subtypes and a contact's subscription status.
    /// Every input is checked here, before anything is sent.
    /// </summary>
    public sealed class PreferenceOperations
    {
        public const int MaxNameLength = 100;
        public const int MaxDescriptionLength = 100;
        public const string OneOnOne = "One on One";

        private const string SubtypesPath = "conversations/preferences/custom-subtypes";
        private const string StatusPath = "conversations/preferences/unsubscriptions/status";
        private const string ChangePath = "conversations/preferences/unsubscriptions/user-change";

        private static readonly string[] Channels = { "email", "sms" };

        private readonly Connection _connection;

        public PreferenceOperations(Connection connection) => _connection = connection ?? throw new ArgumentNullException(nameof(connection));

        private string Location(string? locationId) => new ConversationOperations(_connection).ResolveLocation(locationId);

        private static KeyValuePair<string, string>[] LocationQuery(string location) =>
            new[] { new KeyValuePair<string, string>("locationId", location) };

        /// <summary>GET /conversations/preferences/custom-subtypes?locationId=: every custom subtype of the location.</summary>
        public LcRequest<IReadOnlyList<CustomSubtype>> ListCustomSubtypes(string? locationId)
        {
            var location = Location(locationId);
            return new LcRequest<IReadOnlyList<CustomSubtype>>(_connection, HttpMethod.Get, SubtypesPath, LocationQuery(location), null,
                body => (IReadOnlyList<CustomSubtype>?)CustomSubtype.List.Read(body, out _)
                    ?? throw ConversationOperations.Unexpected("GET", SubtypesPath, "a list of custom subtypes"), location);
        }

        /// <summary>Sends <see cref="ListCustomSubtypes"/>.</summary>
        public async Task<IReadOnlyList<CustomSubtype>> ListCustomSubtypesAsync(string? locationId, LcCall call) =>
            await ListCustomSubtypes(locationId).SendAsync(call).ConfigureAwait(false);

        /// <summary>POST /conversations/preferences/custom-subtypes?locationId=.</summary>
        public LcRequest<CustomSubtype> CreateCustomSubtype(CustomSubtypeCreate create)
        {
            if (create == null) throw new ArgumentNullException(nameof(create));
            var location = Location(create.LocationId);
            var name = Text(create.Name, "name", MaxNameLength, required: true)!;
            var description = Text(create.Description, "description", MaxDescriptionLength, required: false);
            var channel = Channel(create.Channel);
            var language = Language(create.Language);
            var json = JsonBody.Write(w =>
            {
                w.WriteString("name", name);
                if (description != null) w.WriteString("description", description);
                w.WriteString("channel", channel);
                w.WriteString("language", language);
            });
            return new LcRequest<CustomSubtype>(_connection, HttpMethod.Post, SubtypesPath, LocationQuery(location), json,
                body => ReadSubtype(body, "POST", SubtypesPath), location);
        }

        /// <summary>Sends <see cref="CreateCustomSubtype"/>.</summary>
        public async Task<CustomSubtype> CreateCustomSubtypeAsync(CustomSubtypeCreate create, LcCall call) =>
            await CreateCustomSubtype(create).SendAsync(call).ConfigureAwait(false);

        /// <summary>PUT /conversations/preferences/custom-subtypes/{id}?locationId=: update or archive.</summary>
        public LcRequest<CustomSubtype> UpdateCustomSubtype(string id, CustomSubtypeUpdate update)
        {
            if (update == null) throw new ArgumentNullException(nameof(update));
            var path = SubtypesPath + "/" + InputGuard.Id(id, "custom subtype id");
            var location = Location(update.LocationId);
            if (!update.HasChanges)
                throw LcException.InvalidInput("Nothing to change: give -Name, -Description, -Archive or -ResubscriptionLegalFormId. Nothing was sent.");
            var name = Text(update.Name, "name", MaxNameLength, required: false);
            if (name != null && name.Trim().Length == 0) throw LcException.InvalidInput("The name is empty. Nothing was sent.");
            var description = Text(update.Description, "description", MaxDescriptionLength, required: false);
            var form = update.ResubscriptionLegalFormId;
            if (form != null) InputGuard.Id(form, "resubscription legal form id");
            var json = JsonBody.Write(w =>
            {
                if (name != null) w.WriteString("name", name);
                if (description != null) w.WriteString("description", description);
                if (update.Archived is bool archived) w.WriteBoolean("archived", archived);
                if (form != null) w.WriteString("resubscription_legal_form_id", form);
            });
            return new LcRequest<CustomSubtype>(_connection, HttpMethod.Put, path, LocationQuery(location), json,
                body => ReadSubtype(body, "PUT", path), location);
        }

        /// <summary>Sends <see cref="UpdateCustomSubtype"/>.</summary>
        public async Task<CustomSubtype> UpdateCustomSubtypeAsync(string id, CustomSubtypeUpdate update, LcCall call) =>
            await UpdateCustomSubtype(id, update).SendAsync(call).ConfigureAwait(false);

        /// <summary>
        /// GET /conversations/preferences/unsubscriptions/status?locationId=&amp;contactId=[&amp;email=]: every subscription
        /// status of the contact (of one of its email addresses when <paramref name="email"/> is given).
        /// </summary>
        public LcRequest<IReadOnlyList<ContactSubscription>> GetSubscriptionStatus(string? locationId, string contactId, string? email)
        {
            var location = Location(locationId);
            InputGuard.Id(contactId, "contact id");
            var query = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("locationId", location),
                new KeyValuePair<string, string>("contactId", contactId),
            };
            if (email != null) query.Add(new KeyValuePair<string, string>("email", Email(email)));
            return new LcRequest<IReadOnlyList<ContactSubscription>>(_connection, HttpMethod.Get, StatusPath, query, null, body =>
            {
                var rows = ContactSubscription.ReadList(body) ?? throw ConversationOperations.Unexpected("GET", StatusPath, "a list of subscription statuses");
                foreach (var row in rows)
                {
                    row.ContactId ??= contactId;
                    row.LocationId ??= location;
                }
                return rows;
            }, location);
        }

        /// <summary>Sends <see cref="GetSubscriptionStatus"/>.</summary>
        public async Task<IReadOnlyList<ContactSubscription>> GetSubscriptionStatusAsync(string? locationId, string contactId, string? email, LcCall call) =>
            await GetSubscriptionStatus(locationId, contactId, email).SendAsync(call).ConfigureAwait(false);

        /// <summary>
        /// POST /conversations/preferences/unsubscriptions/user-change, checked once: the type and status in the API's
        /// spelling, the default type's name, the custom type's subtype id, and a legal reason to resubscribe. Afterwards
        /// <paramref name="change"/> holds what is sent (Type, Status, SubtypeName in the API's spelling). The answer's
        /// rows when it has some, else the one row the change sets.
        /// </summary>
        public LcRequest<IReadOnlyList<ContactSubscription>> ChangeSubscription(SubscriptionChange change)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            var location = Location(change.LocationId);
            InputGuard.Id(change.ContactId, "contact id");
            var email = Email(change.Email);
            var type = SubscriptionType(change.Type);
            string? status = change.Status == null ? null : SubscriptionStatus(change.Status);
            switch (type)
            {
                case "default":
                    if (change.SubtypeId != null)
                        throw LcException.InvalidInput("-SubtypeId is for -Type Custom; the default type is named by -SubtypeName 'One on One'. Nothing was sent.");
                    var name = change.SubtypeName ?? OneOnOne;
                    if (!string.Equals(name, OneOnOne, StringComparison.OrdinalIgnoreCase))
                        throw LcException.InvalidInput($"The default subscription type is '{OneOnOne}', not '{InputGuard.Printable(name)}'. Nothing was sent.");
                    change.SubtypeName = OneOnOne;
                    break;
                case "custom":
                    if (change.SubtypeId == null) throw LcException.InvalidInput("-Type Custom needs -SubtypeId, the custom subtype's id (Get-LcCustomSubtype). Nothing was sent.");
                    InputGuard.Id(change.SubtypeId, "custom subtype id");
                    if (change.SubtypeName != null) throw LcException.InvalidInput("-SubtypeName is for -Type Default; a custom type is named by -SubtypeId. Nothing was sent.");
                    break;
                default: // resub_all
                    if (change.SubtypeId != null || change.SubtypeName != null)
                        throw LcException.InvalidInput("-Type ResubAll resubscribes every type: it takes no -SubtypeId or -SubtypeName. Nothing was sent.");
                    if (status == "unsubscribed") throw LcException.InvalidInput("-Type ResubAll resubscribes: its status is Subscribed, not Unsubscribed. Nothing was sent.");
                    status = "subscribed";
                    break;
            }
            if (status == null) throw LcException.InvalidInput("Give -Status Subscribed or Unsubscribed. Nothing was sent.");
            if (status == "subscribed" && string.IsNullOrWhiteSpace(change.LegalReason))
                throw LcException.InvalidInput("Resubscribing needs a legal reason: pass -LegalReason (why the person may receive these messages again). Nothing was sent.");
            if (change.LegalReason != null) NoControl(change.LegalReason, "legal reason", allowLineBreaks: true);
            if (change.LegalDescription != null) NoControl(change.LegalDescription, "legal description", allowLineBreaks: true);
            change.Type = type;
            change.Status = status;
            change.Email = email;
            var json = JsonBody.Write(w =>
            {
                w.WriteString("locationId", location);
                w.WriteString("contactId", change.ContactId);
                w.WriteString("email", email);
                w.WritePropertyName("subscription_action");
                w.WriteStartObject();
                w.WriteString("type", type);
                if (change.SubtypeName != null) w.WriteString("subtype_name", change.SubtypeName);
                if (change.SubtypeId != null) w.WriteString("subtype_id", change.SubtypeId);
                w.WriteString("subtype_status", status);
                w.WriteEndObject();
                if (change.LegalReason != null) w.WriteString("legal_reason", change.LegalReason);
                if (change.LegalDescription != null) w.WriteString("legal_description", change.LegalDescription);
            });
            var contactId = change.ContactId;
            var subtypeName = change.SubtypeName;
            var subtypeId = change.SubtypeId;
            return new LcRequest<IReadOnlyList<ContactSubscription>>(_connection, HttpMethod.Post, ChangePath, null, json, body =>
            {
                var rows = JsonSource.IsBlank(body) ? null : ContactSubscription.ReadList(body);
                if (rows == null || rows.Count == 0)
                    rows = new List<ContactSubscription>
                    {
                        new ContactSubscription { Email = email, Type = type, SubtypeName = subtypeName, SubtypeId = subtypeId, Status = status },
                    };
                foreach (var row in rows)
                {
                    row.ContactId ??= contactId;
                    row.LocationId ??= location;
                    row.Email ??= email;
                }
                return rows;
            }, location);
        }

        /// <summary>Sends <see cref="ChangeSubscription"/>.</summary>
        public async Task<IReadOnlyList<ContactSubscription>> ChangeSubscriptionAsync(SubscriptionChange change, LcCall call) =>
            await ChangeSubscription(change).SendAsync(call).ConfigureAwait(false);

        private static CustomSubtype ReadSubtype(byte[] body, string method, string path)
        {
            var subtype = CustomSubtype.One.Read(body, out var success) ?? throw ConversationOperations.Unexpected(method, path, "a custom subtype object");
            if (success == false)
                throw new LcException(LcErrorKind.InvalidResponse, $"The API answered success=false to {method} /{path}.", method: method, path: "/" + path);
            return subtype;
        }

        /// <summary>A text field within its limit, without control characters; null stays null unless required.</summary>
        private static string? Text(string? value, string what, int max, bool required)
        {
            if (value == null || (required && value.Trim().Length == 0))
            {
                if (required) throw LcException.InvalidInput($"The {what} is empty. Nothing was sent.");
                return null;
            }
            if (value.Length > max)
                throw LcException.InvalidInput($"The {what} is {value.Length} characters long; the API takes at most {max}. Nothing was sent.");
            NoControl(value, what, allowLineBreaks: false);
            return value;
        }

        private static void NoControl(string value, string what, bool allowLineBreaks)
        {
            foreach (var c in value)
                if (char.IsControl(c) && !(allowLineBreaks && (c == '\n' || c == '\r' || c == '\t')))
                    throw LcException.InvalidInput($"The {what} contains a control character (U+{(int)c:X4}). Nothing was sent.");
        }

        /// <summary>email or sms, in the API's spelling.</summary>
        public static string Channel(string? channel)
        {
            var match = Channels.FirstOrDefault(c => string.Equals(c, channel?.Trim(), StringComparison.OrdinalIgnoreCase));
            return match ?? throw LcException.InvalidInput($"The channel '{InputGuard.Printable(channel ?? "")}' is not one the API takes: email or sms. Nothing was sent.");
        }

        /// <summary>A language code such as en, en-US or pt_BR: letters, then letter or digit parts after '-' or '_'.</summary>
        public static string Language(string? language)
        {
            var value = language ?? "";
            bool ok = value.Length >= 2 && value.Length <= 35 && char.IsLetter(value[0]) && value[value.Length - 1] != '-' && value[value.Length - 1] != '_';
            foreach (var c in value)
                ok &= (c < 0x80 && char.IsLetterOrDigit(c)) || c == '-' || c == '_';
            if (!ok) throw LcException.InvalidInput($"The language '{InputGuard.Printable(value)}' is not a language code such as en or en-US. Nothing was sent.");
            return value;
        }

        /// <summary>An email address: one '@' with text on both sides, no white space or control characters.</summary>
        public static string Email(string? email)
        {
            var value = email ?? "";
            int at = value.IndexOf('@');
            bool ok = at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1 && value.Length <= 320;
            foreach (var c in value) ok &= !char.IsWhiteSpace(c) && !char.IsControl(c);
            if (!ok) throw LcException.InvalidInput($"'{InputGuard.Printable(value)}' is not an email address. Nothing was sent.");
            return value;
        }

        /// <summary>default, custom or resub_all (ResubAll accepted), in the API's spelling.</summary>
        public static string SubscriptionType(string? type)
        {
            var t = (type ?? "").Trim();
            if (string.Equals(t, "default", StringComparison.OrdinalIgnoreCase)) return "default";
            if (string.Equals(t, "custom", StringComparison.OrdinalIgnoreCase)) return "custom";
            if (string.Equals(t, "resub_all", StringComparison.OrdinalIgnoreCase) || string.Equals(t, "ResubAll", StringComparison.OrdinalIgnoreCase)) return "resub_all";
            throw LcException.InvalidInput($"The subscription type '{InputGuard.Printable(t)}' is not one the API takes: Default, Custom or ResubAll. Nothing was sent.");
        }

        /// <summary>subscribed or unsubscribed, in the API's spelling.</summary>
        public static string SubscriptionStatus(string? status)
        {
            var s = (status ?? "").Trim();
            if (string.Equals(s, "subscribed", StringComparison.OrdinalIgnoreCase)) return "subscribed";
            if (string.Equals(s, "unsubscribed", StringComparison.OrdinalIgnoreCase)) return "unsubscribed";
            throw LcException.InvalidInput($"The subscription status '{InputGuard.Printable(s)}' is not one the API takes: Subscribed or Unsubscribed. Nothing was sent.");
        }
    }
}
