using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Get-LcConnection: shows the current connection's settings (never the token).</summary>
    [Cmdlet(VerbsCommon.Get, "LcConnection")]
    [OutputType(typeof(Connection))]
    public sealed class GetLcConnectionCommand : LcCmdlet
    {
        protected override void Process() => IO.WriteObject(RequireConnection(null));
    }
}
