using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Get-LcConnection: shows the current connection's settings (never the token). With no connection it writes
    /// nothing, so scripts can say <c>if (-not (Get-LcConnection)) { Connect-Lc }</c>.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "LcConnection")]
    [OutputType(typeof(Connection))]
    public sealed class GetLcConnectionCommand : LcCmdlet
    {
        protected override void Process()
        {
            var current = ConnectionStore.Current;
            if (current == null) WriteVerbose("Not connected. Run Connect-Lc.");
            else WriteObject(current);
        }
    }
}
