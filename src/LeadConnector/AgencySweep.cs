using System.Collections.Generic;
using System.Management.Automation;
using LeadConnector.Commands;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// Connect-Lc -AgencyToken ... -CompanyId ... -LocationId a, b, c: one connection per location, the location tokens
    /// exchanged concurrently (the engine's <see cref="AgencyConnections"/>). Every connection is written to the output, in
    /// the order of -LocationId, and the current connection is left as it is (-PassThru and -ReturnConnection mean the
    /// same here): a sweep passes each one on with -Connection, or on the objects it pipes (a Connection property).
    /// </summary>
    internal static class AgencySweep
    {
        public static void Connect(ConnectLcCommand cmdlet, ConnectionOptions options, IReadOnlyList<string> locationIds, bool agency)
        {
            if (!agency)
            {
                cmdlet.Terminate("Several -LocationId values need -AgencyToken and -CompanyId: an agency token is exchanged for a token of each location. Other tokens belong to one location: connect once per location.",
                    "SeveralLocationsNeedAgencyToken", ErrorCategory.InvalidArgument, locationIds);
                return;
            }
            IReadOnlyList<Connection> connections;
            try
            {
                connections = cmdlet.Await(call => AgencyConnections.ConnectAsync(options, locationIds, call));
            }
            catch (LcException ex) when (ex.Kind == LcErrorKind.InvalidInput)
            {
                cmdlet.ThrowTerminatingError(ConnectionSettings.RefusedBaseUri(ex)
                    ? ErrorMap.Record(ex, "InvalidBaseUri", ErrorCategory.SecurityError, options.BaseUri)
                    : ErrorMap.Record(ex, "InvalidConnectionSetting", ErrorCategory.InvalidArgument, null));
                return;
            }
            foreach (var connection in connections) SessionConnections.Remember(connection);
            cmdlet.WriteVerbose($"Connected to {connections.Count} locations at {connections[0].BaseUri} with location tokens from the agency token; the current connection is unchanged.");
            if (!cmdlet.Quiet.IsPresent)
                cmdlet.WriteInformation(new HostInformationMessage
                {
                    Message = $"Connected to {connections.Count} locations with location tokens from the agency token at {connections[0].BaseUri.GetLeftPart(System.UriPartial.Authority)}; the current connection is unchanged.",
                }, new[] { "PSHOST" });
            foreach (var connection in connections) cmdlet.WriteObject(connection);
        }
    }
}
