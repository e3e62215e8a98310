using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Disconnect-Lc: forgets the process-wide connection. Connections held in variables keep working.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Lc")]
    [OutputType(typeof(void))]
    public sealed class DisconnectLcCommand : LcCmdlet
    {
        protected override void Process()
        {
            var current = ConnectionStore.Current;
            ConnectionStore.Set(null);
            WriteVerbose(current == null ? "There was no current connection." : $"Disconnected from {current.BaseUri}.");
        }
    }
}
