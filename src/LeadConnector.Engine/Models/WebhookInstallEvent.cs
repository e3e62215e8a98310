using System;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>An INSTALL or UNINSTALL webhook: the app was installed in (or removed from) a location or an agency.</summary>
    public sealed class WebhookInstallEvent
    {
        /// <summary>INSTALL or UNINSTALL.</summary>
        public string? Type { get; set; }
        public string? AppId { get; set; }
        public string? CompanyId { get; set; }
        /// <summary>Null for an agency-level install.</summary>
        public string? LocationId { get; set; }
        public string? UserId { get; set; }
        public string? PlanId { get; set; }
        public string? CompanyName { get; set; }
        public bool? IsWhitelabelCompany { get; set; }
        public string? WhitelabelDomain { get; set; }
        public string? WhitelabelLogoUrl { get; set; }
        public bool? OnTrial { get; set; }
        /// <summary>trial.trialDuration, in days.</summary>
        public int? TrialDuration { get; set; }
        public DateTimeOffset? TrialStartDate { get; set; }

        /// <summary>True for INSTALL.</summary>
        public bool IsInstall => string.Equals(Type, "INSTALL", StringComparison.OrdinalIgnoreCase);

        public override string ToString() => $"{Type} {AppId}";

        private static readonly FieldMap<WebhookInstallEvent> TrialFields = new FieldMap<WebhookInstallEvent>(() => new WebhookInstallEvent())
            .Add("onTrial", (ref JsonSource s, WebhookInstallEvent e) => e.OnTrial = s.Bool())
            .Add("trialDuration", (ref JsonSource s, WebhookInstallEvent e) => e.TrialDuration = s.Int())
            .Add("trialStartDate", (ref JsonSource s, WebhookInstallEvent e) => e.TrialStartDate = s.Date());

        private static readonly FieldMap<WebhookInstallEvent> WhitelabelFields = new FieldMap<WebhookInstallEvent>(() => new WebhookInstallEvent())
            .Add("domain", (ref JsonSource s, WebhookInstallEvent e) => e.WhitelabelDomain = s.String())
            .Add("logoUrl", (ref JsonSource s, WebhookInstallEvent e) => e.WhitelabelLogoUrl = s.String());

        internal static readonly FieldMap<WebhookInstallEvent> Fields = new FieldMap<WebhookInstallEvent>(() => new WebhookInstallEvent())
            .Add("type", (ref JsonSource s, WebhookInstallEvent e) => e.Type = s.String())
            .Add("appId", (ref JsonSource s, WebhookInstallEvent e) => e.AppId = s.String())
            .Add("locationId", (ref JsonSource s, WebhookInstallEvent e) => e.LocationId = s.String())
            .Add("companyId", (ref JsonSource s, WebhookInstallEvent e) => e.CompanyId = s.String())
            .Add("userId", (ref JsonSource s, WebhookInstallEvent e) => e.UserId = s.String())
            .Add("planId", (ref JsonSource s, WebhookInstallEvent e) => e.PlanId = s.String())
            .Add("trial", (ref JsonSource s, WebhookInstallEvent e) => Nested(ref s, e, TrialFields))
            .Add("isWhitelabelCompany", (ref JsonSource s, WebhookInstallEvent e) => e.IsWhitelabelCompany = s.Bool())
            .Add("whitelabelDetails", (ref JsonSource s, WebhookInstallEvent e) => Nested(ref s, e, WhitelabelFields))
            .Add("companyName", (ref JsonSource s, WebhookInstallEvent e) => e.CompanyName = s.String());

        private static void Nested(ref JsonSource s, WebhookInstallEvent e, FieldMap<WebhookInstallEvent> map)
        {
            if (s.Token == System.Text.Json.JsonTokenType.StartObject) map.Read(ref s, e);
            else s.Skip();
        }
    }
}
