using System;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>A contact (GET /contacts/{id}, POST /contacts/search): the contract's fields; dates as UTC.</summary>
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

        /// <summary>The search cursor of this document (searchAfter, as JSON text; not a contract field).</summary>
        internal string? SearchAfter { get; set; }

        public override string ToString() => Id ?? "(contact)";

        internal static Contact Read(JsonElement e)
        {
            var c = new Contact
            {
                Id = JsonRead.String(e, "id"),
                LocationId = JsonRead.String(e, "locationId"),
                FirstName = JsonRead.String(e, "firstName"),
                LastName = JsonRead.String(e, "lastName"),
                Name = JsonRead.String(e, "contactName") ?? JsonRead.String(e, "name"),
                Email = JsonRead.String(e, "email"),
                Phone = JsonRead.String(e, "phone"),
                CompanyName = JsonRead.String(e, "companyName"),
                Tags = StringList.Of(JsonRead.StringArray(e, "tags")),
                DateAdded = JsonRead.Date(e, "dateAdded"),
                DateUpdated = JsonRead.Date(e, "dateUpdated"),
                LastActivity = JsonRead.Date(e, "lastActivity"),
                DateOfBirth = JsonRead.String(e, "dateOfBirth"),
                Type = JsonRead.String(e, "type"),
                Source = JsonRead.String(e, "source"),
                AssignedTo = JsonRead.String(e, "assignedTo"),
                Dnd = JsonRead.Bool(e, "dnd"),
                Timezone = JsonRead.String(e, "timezone"),
                Address1 = JsonRead.String(e, "address1"),
                City = JsonRead.String(e, "city"),
                State = JsonRead.String(e, "state"),
                Country = JsonRead.String(e, "country"),
                PostalCode = JsonRead.String(e, "postalCode"),
                Website = JsonRead.String(e, "website"),
                BusinessId = JsonRead.String(e, "businessId"),
                FirstNameLowerCase = JsonRead.String(e, "firstNameLowerCase"),
                LastNameLowerCase = JsonRead.String(e, "lastNameLowerCase"),
                EmailLowerCase = JsonRead.String(e, "emailLowerCase"),
            };
            var custom = JsonRead.Prop(e, "customFields");
            if (custom != null && custom.Value.ValueKind == JsonValueKind.Array) c.CustomFields = custom.Value.GetRawText();
            var after = JsonRead.Prop(e, "searchAfter");
            if (after != null && after.Value.ValueKind == JsonValueKind.Array && after.Value.GetArrayLength() > 0) c.SearchAfter = after.Value.GetRawText();
            return c;
        }
    }
}
