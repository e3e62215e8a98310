using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// A cmdlet that talks to the API, with one job: the connection. -Connection is declared here, once, and resolved
    /// once in BeginProcessing, after the cmdlet's own Begin checks: the one given, else the current one (Connect-Lc).
    /// Without either the command stops with NotConnected before the first record.
    /// </summary>
    public abstract class LcConnectedCmdlet : LcCmdlet
    {
        /// <summary>The connection to use instead of the current one (Connect-Lc -PassThru returns one).</summary>
        [Parameter]
        public Connection? Connection { get; set; }

        private Connection? _session;

        /// <summary>The connection this command uses (<see cref="Open"/> resolved it); not yet set in Begin.</summary>
        internal Connection Session => _session!;

        internal override void Open()
        {
            _session = Connection ?? ConnectionStore.Current;
            if (_session == null) Terminate(LcException.NotConnected(), null);
        }
    }
}
