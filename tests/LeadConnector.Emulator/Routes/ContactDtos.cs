using System.Text.Json;
using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>The contact object of the contact endpoints (GetContectByIdSchema / CreateContactSchema). Null members are omitted.</summary>
internal static class ContactDtos
{
    public sealed record CustomField(string Id, JsonElement Value);

    public sealed record Contact(
        string Id, string LocationId, string? FirstName, string? LastName, string ContactName, string Name,
        string? FirstNameLowerCase, string? LastNameLowerCase, string? FullNameLowerCase, string? Email, string? EmailLowerCase,
        string? Phone, string? CompanyName, string[] Tags, string DateAdded, string DateUpdated, string? Source, string Type,
        string? AssignedTo, bool Dnd, JsonElement? DndSettings, JsonElement? InboundDndSettings, string? Timezone, string? Country,
        string? City, string? Address1, string? State, string? PostalCode, string? Website, string? DateOfBirth, string? Gender,
        CustomField[] CustomFields, object[]? SearchAfter);

    public static Contact For(StoredContact c, object[]? searchAfter = null) => new(
        c.Id, c.LocationId, c.FirstName, c.LastName, c.ContactName, c.ContactName, c.FirstName?.ToLowerInvariant(),
        c.LastName?.ToLowerInvariant(), c.ContactName.Length == 0 ? null : c.ContactName.ToLowerInvariant(), c.Email,
        c.Email?.ToLowerInvariant(), c.Phone, c.CompanyName, c.Tags, ApiJson.Iso(c.DateAdded), ApiJson.Iso(c.DateUpdated), c.Source,
        c.Type, c.AssignedTo, c.Dnd, Raw(c.DndSettings), Raw(c.InboundDndSettings), c.Timezone, c.Country, c.City, c.Address1, c.State,
        c.PostalCode, c.Website, c.DateOfBirth, c.Gender,
        [.. c.CustomFields.Select(f => new CustomField(f.Key, JsonDocument.Parse(f.Value).RootElement.Clone()))], searchAfter);

    private static JsonElement? Raw(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
