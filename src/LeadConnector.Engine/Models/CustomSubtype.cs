using System;
using System.Collections.Generic;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// A custom subscription subtype of a location (GET/POST /conversations/preferences/custom-subtypes, PUT .../{id}):
    /// every field of CreateCustomSubtypeDto and UpdateCustomSubtypeDto, with its id, location and dates. The OpenAPI
    /// file gives no response schema, so the reader is lenient: id or _id, the legal form id in snake or camel case,
    /// dates in any of the three encodings.
    /// </summary>
    public sealed class CustomSubtype
    {
        public string? Id { get; set; }
        public string? LocationId { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        /// <summary>email or sms.</summary>
        public string? Channel { get; set; }
        public string? Language { get; set; }
        public bool? Archived { get; set; }
        /// <summary>The API's resubscription_legal_form_id.</summary>
        public string? ResubscriptionLegalFormId { get; set; }
        public DateTimeOffset? DateAdded { get; set; }
        public DateTimeOffset? DateUpdated { get; set; }

        public override string ToString() => Id ?? "(custom subtype)";

        private string? _altId;

        internal static readonly FieldMap<CustomSubtype> Fields = new FieldMap<CustomSubtype>(() => new CustomSubtype(), c =>
            {
                c.Id ??= c._altId;
                c._altId = null;
            })
            .Add("id", (ref JsonSource s, CustomSubtype c) => c.Id = s.String())
            .Add("_id", (ref JsonSource s, CustomSubtype c) => c._altId = s.String())
            .Add("locationId", (ref JsonSource s, CustomSubtype c) => c.LocationId = s.String())
            .Add("name", (ref JsonSource s, CustomSubtype c) => c.Name = s.String())
            .Add("description", (ref JsonSource s, CustomSubtype c) => c.Description = s.String())
            .Add("channel", (ref JsonSource s, CustomSubtype c) => c.Channel = s.String())
            .Add("language", (ref JsonSource s, CustomSubtype c) => c.Language = s.String())
            .Add("archived", (ref JsonSource s, CustomSubtype c) => c.Archived = s.Bool())
            .Add("resubscription_legal_form_id", (ref JsonSource s, CustomSubtype c) => { var v = s.String(); if (v != null) c.ResubscriptionLegalFormId = v; })
            .Add("resubscriptionLegalFormId", (ref JsonSource s, CustomSubtype c) => { var v = s.String(); c.ResubscriptionLegalFormId ??= v; })
            .Add("dateAdded", (ref JsonSource s, CustomSubtype c) => c.DateAdded = s.Date())
            .Add("dateUpdated", (ref JsonSource s, CustomSubtype c) => c.DateUpdated = s.Date())
            .Add("createdAt", (ref JsonSource s, CustomSubtype c) => { var v = s.Date(); c.DateAdded ??= v; })
            .Add("updatedAt", (ref JsonSource s, CustomSubtype c) => { var v = s.Date(); c.DateUpdated ??= v; });

        /// <summary>One subtype: the object itself, or wrapped in customSubtype, subtype or data.</summary>
        internal static readonly WrappedAnswer<CustomSubtype> One = new WrappedAnswer<CustomSubtype>(Fields, "customSubtype", "subtype", "data");

        /// <summary>A list: a top-level array, or an object holding the array under customSubtypes, subtypes or data.</summary>
        internal static readonly ListAnswer<CustomSubtype> List = new ListAnswer<CustomSubtype>(Fields, "customSubtypes", "subtypes", "data");
    }
}
