using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// The fields of a contact to create (CreateContactDto), upsert (UpsertContactDto) or update (UpdateContactDto).
    /// Null (and an empty string) means "not sent". Checked and written by <see cref="ContactOperations"/>.
    /// </summary>
    public sealed class ContactInput
    {
        public string? LocationId { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Name { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? CompanyName { get; set; }
        public string? Address1 { get; set; }
        public string? City { get; set; }
        public string? State { get; set; }
        public string? PostalCode { get; set; }
        public string? Country { get; set; }
        public string? Website { get; set; }
        public string? Timezone { get; set; }
        /// <summary>One of the formats the API documents (YYYY-MM-DD, MM/DD/YYYY, ...).</summary>
        public string? DateOfBirth { get; set; }
        public string? Source { get; set; }
        public string? Gender { get; set; }
        public string? AssignedTo { get; set; }
        public IReadOnlyList<string>? Tags { get; set; }
        public bool? Dnd { get; set; }
        /// <summary>Custom field id or key → value (a string, number, boolean, list of strings, or an object for a file field).</summary>
        public IDictionary? CustomFields { get; set; }
        /// <summary>Channel (Call, Email, SMS, WhatsApp, GMB, FB) → status string, or a dictionary { status, message, code }.</summary>
        public IDictionary? DndSettings { get; set; }
        /// <summary>Inbound DND: a status string ("active" or "inactive") or a dictionary { status, message }: sent as { all: ... }.</summary>
        public object? InboundDndSettings { get; set; }
        /// <summary>Upsert only: create a new contact even when one matches, if the location allows duplicates.</summary>
        public bool? CreateNewIfDuplicateAllowed { get; set; }

        /// <summary>True when any field other than the location is given.</summary>
        public bool HasFields =>
            Given(FirstName) || Given(LastName) || Given(Name) || Given(Email) || Given(Phone) || Given(CompanyName) || Given(Address1)
            || Given(City) || Given(State) || Given(PostalCode) || Given(Country) || Given(Website) || Given(Timezone) || Given(DateOfBirth)
            || Given(Source) || Given(Gender) || Given(AssignedTo) || Tags != null || Dnd != null || CustomFields != null
            || DndSettings != null || InboundDndSettings != null;

        /// <summary>The email when given, else the phone: how a row is named in messages.</summary>
        public string? Identity => Given(Email) ? Email : Given(Phone) ? Phone : Given(Name) ? Name
            : (Given(FirstName) || Given(LastName)) ? string.Join(" ", new[] { FirstName, LastName }).Trim() : null;

        internal static bool Given(string? s) => !string.IsNullOrEmpty(s);

        private static readonly string[] DndChannels = { "Call", "Email", "SMS", "WhatsApp", "GMB", "FB" };
        private static readonly string[] DndStatuses = { "active", "inactive", "permanent" };
        private static readonly string[] InboundStatuses = { "active", "inactive" };

        // YYYY/MM/DD, MM/DD/YYYY, YYYY-MM-DD, MM-DD-YYYY, YYYY.MM.DD, MM.DD.YYYY, YYYY_MM_DD, MM_DD_YYYY (the API's list).
        private static readonly Regex YearFirst = new Regex(@"^(\d{4})([/\-._])(\d{2})\2(\d{2})$", RegexOptions.CultureInvariant);
        private static readonly Regex YearLast = new Regex(@"^(\d{2})([/\-._])(\d{2})\2(\d{4})$", RegexOptions.CultureInvariant);

        /// <summary>Refuses what the API would refuse and the client can tell: a date of birth in no documented format, DND settings outside their enums.</summary>
        internal void Check(string what)
        {
            if (Given(DateOfBirth)) CheckDateOfBirth(DateOfBirth!);
            if (Tags != null)
                foreach (var t in Tags)
                    if (string.IsNullOrWhiteSpace(t)) throw LcException.InvalidInput($"A tag of the {what} is empty.");
            if (CustomFields != null)
                foreach (DictionaryEntry e in CustomFields)
                    if (string.IsNullOrWhiteSpace(e.Key as string))
                        throw LcException.InvalidInput("A -CustomField name is empty: give each field's id or key.");
            if (DndSettings != null)
                foreach (DictionaryEntry e in DndSettings)
                {
                    DndChannel(e.Key as string);
                    DndStatus(e.Value, DndStatuses, $"-DndSettings {e.Key}");
                }
            if (InboundDndSettings != null) DndStatus(InboundDndSettings, InboundStatuses, "-InboundDndSettings");
        }

        private static void CheckDateOfBirth(string value)
        {
            int y, m, d;
            var a = YearFirst.Match(value);
            var b = YearLast.Match(value);
            if (a.Success) { y = Num(a.Groups[1].Value); m = Num(a.Groups[3].Value); d = Num(a.Groups[4].Value); }
            else if (b.Success) { m = Num(b.Groups[1].Value); d = Num(b.Groups[3].Value); y = Num(b.Groups[4].Value); }
            else throw LcException.InvalidInput(
                $"DateOfBirth '{value}' is in none of the API's formats: YYYY-MM-DD, MM-DD-YYYY (or with '/', '.' or '_' between the parts), or a date.");
            if (m < 1 || m > 12 || d < 1 || d > DateTime.DaysInMonth(Math.Max(1, Math.Min(9999, y)), m))
                throw LcException.InvalidInput($"DateOfBirth '{value}' is not a date.");
        }

        private static int Num(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

        private static string DndChannel(string? key)
        {
            foreach (var c in DndChannels)
                if (string.Equals(c, key, StringComparison.OrdinalIgnoreCase)) return c;
            throw LcException.InvalidInput($"-DndSettings has the channel '{key}'; the channels are {string.Join(", ", DndChannels)}.");
        }

        /// <summary>A status string, or a dictionary with a status (and message, code): the status checked against its enum.</summary>
        private static void DndStatus(object? value, string[] statuses, string what)
        {
            string? status = value as string;
            if (value is IDictionary dict)
            {
                status = null;
                foreach (DictionaryEntry e in dict)
                {
                    var k = e.Key as string;
                    if (string.Equals(k, "status", StringComparison.OrdinalIgnoreCase)) status = e.Value as string;
                    else if (!string.Equals(k, "message", StringComparison.OrdinalIgnoreCase) && !(statuses.Length == 3 && string.Equals(k, "code", StringComparison.OrdinalIgnoreCase)))
                        throw LcException.InvalidInput($"{what} has the member '{k}'; it takes status, message{(statuses.Length == 3 ? " and code" : "")}.");
                }
            }
            foreach (var s in statuses)
                if (string.Equals(s, status, StringComparison.Ordinal)) return;
            throw LcException.InvalidInput($"{what} has the status '{status}'; it must be one of {string.Join(", ", statuses)}.");
        }

        /// <summary>Writes the given fields with the API's names; <paramref name="allowed"/> lists the DTO's members.</summary>
        internal void Write(Utf8JsonWriter w, ICollection<string> allowed, string? location)
        {
            if (location != null) w.WriteString("locationId", location);
            Str(w, allowed, "firstName", FirstName);
            Str(w, allowed, "lastName", LastName);
            Str(w, allowed, "name", Name);
            Str(w, allowed, "email", Email);
            Str(w, allowed, "gender", Gender);
            Str(w, allowed, "phone", Phone);
            Str(w, allowed, "address1", Address1);
            Str(w, allowed, "city", City);
            Str(w, allowed, "state", State);
            Str(w, allowed, "postalCode", PostalCode);
            Str(w, allowed, "website", Website);
            Str(w, allowed, "timezone", Timezone);
            if (Dnd is bool dnd && allowed.Contains("dnd")) w.WriteBoolean("dnd", dnd);
            if (DndSettings != null && allowed.Contains("dndSettings"))
            {
                w.WritePropertyName("dndSettings");
                w.WriteStartObject();
                foreach (DictionaryEntry e in DndSettings)
                {
                    w.WritePropertyName(DndChannel(e.Key as string));
                    WriteStatus(w, e.Value, "dndSettings." + e.Key);
                }
                w.WriteEndObject();
            }
            if (InboundDndSettings != null && allowed.Contains("inboundDndSettings"))
            {
                w.WritePropertyName("inboundDndSettings");
                w.WriteStartObject();
                w.WritePropertyName("all");
                WriteStatus(w, InboundDndSettings, "inboundDndSettings.all");
                w.WriteEndObject();
            }
            if (Tags != null && allowed.Contains("tags"))
            {
                w.WritePropertyName("tags");
                w.WriteStartArray();
                foreach (var t in Tags) w.WriteStringValue(t);
                w.WriteEndArray();
            }
            if (CustomFields != null && allowed.Contains("customFields"))
            {
                w.WritePropertyName("customFields");
                w.WriteStartArray();
                foreach (DictionaryEntry e in CustomFields)
                {
                    var name = (string)e.Key;
                    w.WriteStartObject();
                    w.WriteString(IsFieldId(name) ? "id" : "key", name);
                    w.WritePropertyName("field_value");
                    JsonBody.Value(w, e.Value, "customFields." + name);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            Str(w, allowed, "source", Source);
            Str(w, allowed, "dateOfBirth", DateOfBirth);
            Str(w, allowed, "country", Country);
            Str(w, allowed, "companyName", CompanyName);
            Str(w, allowed, "assignedTo", AssignedTo);
            if (CreateNewIfDuplicateAllowed is bool create && allowed.Contains("createNewIfDuplicateAllowed"))
                w.WriteBoolean("createNewIfDuplicateAllowed", create);
        }

        /// <summary>A custom field's id is 20 letters and digits (as every HighLevel id); anything else is its key.</summary>
        internal static bool IsFieldId(string name)
        {
            if (name.Length != 20) return false;
            foreach (var c in name)
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) return false;
            return true;
        }

        private static void WriteStatus(Utf8JsonWriter w, object? value, string path)
        {
            if (value is string s)
            {
                w.WriteStartObject();
                w.WriteString("status", s);
                w.WriteEndObject();
            }
            else
            {
                w.WriteStartObject();
                foreach (DictionaryEntry e in (IDictionary)value!)
                {
                    var k = ((string)e.Key).ToLowerInvariant();
                    w.WritePropertyName(k);
                    JsonBody.Value(w, e.Value, path + "." + k);
                }
                w.WriteEndObject();
            }
        }

        private static void Str(Utf8JsonWriter w, ICollection<string> allowed, string name, string? value)
        {
            if (Given(value) && allowed.Contains(name)) w.WriteString(name, value);
        }
    }
}
