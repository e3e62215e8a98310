using System;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>A contact (GET /contacts/{id}, POST /contacts/search, create, upsert, update): the contract's fields; dates as UTC.</summary>
    public sealed class Contact
    {
        public string? Id { get; set; }
        public string? LocationId { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        /// <summary>The API's contactName (or name).</summary>
        public string? Name { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? CompanyName { get; set; }
        public StringList Tags { get; set; } = StringList.Empty;
        public DateTimeOffset? DateAdded { get; set; }
        public DateTimeOffset? DateUpdated { get; set; }
        public DateTimeOffset? LastActivity { get; set; }
        public string? DateOfBirth { get; set; }
        public string? Type { get; set; }
        public string? Source { get; set; }
        public string? AssignedTo { get; set; }
        public bool? Dnd { get; set; }
        public string? Timezone { get; set; }
        public string? Address1 { get; set; }
        public string? City { get; set; }
        public string? State { get; set; }
        public string? Country { get; set; }
        public string? PostalCode { get; set; }
        public string? Website { get; set; }
        public string? BusinessId { get; set; }
        public string? FirstNameLowerCase { get; set; }
        public string? LastNameLowerCase { get; set; }
        public string? EmailLowerCase { get; set; }
        /// <summary>customFields as JSON text (an array of { id, value }).</summary>
        public string? CustomFields { get; set; }
        public string? Gender { get; set; }
        /// <summary>
        /// New-LcContact -Upsert: true when the API created the contact, false when it updated one that matched; null
        /// otherwise (any other cmdlet, or an upsert sent again after a lost answer, whose first attempt may have made it).
        /// </summary>
        public bool? IsNew { get; set; }

        /// <summary>The search cursor of this document (searchAfter, as JSON text; not a contract field).</summary>
        internal string? SearchAfter { get; set; }

        public override string ToString() => Id ?? "(contact)";

        /// <summary>The "name" value: the Name when there is no contactName.</summary>
        private string? _name;

        // In the order the contact answers list them (the fast path of FieldMap); any order reads correctly.
        internal static readonly FieldMap<Contact> Fields = new FieldMap<Contact>(() => new Contact(), c =>
            {
                c.Name ??= c._name;
                c._name = null;
            })
            .Add("id", (ref JsonSource s, Contact c) => c.Id = s.String())
            .Add("locationId", (ref JsonSource s, Contact c) => c.LocationId = s.String())
            .Add("firstName", (ref JsonSource s, Contact c) => c.FirstName = s.String())
            .Add("lastName", (ref JsonSource s, Contact c) => c.LastName = s.String())
            .Add("contactName", (ref JsonSource s, Contact c) => c.Name = s.String())
            .Add("name", (ref JsonSource s, Contact c) => c._name = s.String())
            .Add("firstNameLowerCase", (ref JsonSource s, Contact c) => c.FirstNameLowerCase = s.String())
            .Add("lastNameLowerCase", (ref JsonSource s, Contact c) => c.LastNameLowerCase = s.String())
            .Add("email", (ref JsonSource s, Contact c) => c.Email = s.String())
            .Add("phone", (ref JsonSource s, Contact c) => c.Phone = s.String())
            .Add("companyName", (ref JsonSource s, Contact c) => c.CompanyName = s.String())
            .Add("tags", (ref JsonSource s, Contact c) => c.Tags = StringList.Of(s.Strings()))
            .Add("dateAdded", (ref JsonSource s, Contact c) => c.DateAdded = s.Date())
            .Add("dateUpdated", (ref JsonSource s, Contact c) => c.DateUpdated = s.Date())
            .Add("source", (ref JsonSource s, Contact c) => c.Source = s.String())
            .Add("type", (ref JsonSource s, Contact c) => c.Type = s.String())
            .Add("assignedTo", (ref JsonSource s, Contact c) => c.AssignedTo = s.String())
            .Add("dnd", (ref JsonSource s, Contact c) => c.Dnd = s.Bool())
            .Add("timezone", (ref JsonSource s, Contact c) => c.Timezone = s.String())
            .Add("country", (ref JsonSource s, Contact c) => c.Country = s.String())
            .Add("city", (ref JsonSource s, Contact c) => c.City = s.String())
            .Add("lastActivity", (ref JsonSource s, Contact c) => c.LastActivity = s.Date())
            .Add("dateOfBirth", (ref JsonSource s, Contact c) => c.DateOfBirth = s.String())
            .Add("address1", (ref JsonSource s, Contact c) => c.Address1 = s.String())
            .Add("state", (ref JsonSource s, Contact c) => c.State = s.String())
            .Add("postalCode", (ref JsonSource s, Contact c) => c.PostalCode = s.String())
            .Add("website", (ref JsonSource s, Contact c) => c.Website = s.String())
            .Add("businessId", (ref JsonSource s, Contact c) => c.BusinessId = s.String())
            .Add("emailLowerCase", (ref JsonSource s, Contact c) => c.EmailLowerCase = s.String())
            .Add("customFields", (ref JsonSource s, Contact c) => c.CustomFields = s.RawContainer(JsonTokenType.StartArray))
            .Add("gender", (ref JsonSource s, Contact c) => c.Gender = s.String())
            .Add("searchAfter", (ref JsonSource s, Contact c) => c.SearchAfter = s.RawContainer(JsonTokenType.StartArray, nonEmpty: true));

        /// <summary>GET /contacts/{id}: { contact } or the contact itself.</summary>
        internal static readonly WrappedAnswer<Contact> Answer = new WrappedAnswer<Contact>(Fields, "contact");
    }
}
