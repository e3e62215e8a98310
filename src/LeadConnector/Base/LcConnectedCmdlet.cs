using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// A cmdlet that talks to the API, with one job: the connection. -Connection is declared here, once, and resolved
    /// once in BeginProcessing, after the cmdlet's own Begin checks: the one given, else the current one (Connect-Lc).
    /// Without either the command stops with NotConnected before the first record, unless records are piped in: a piped
    /// object may carry its own connection (a Connection property, bound by property name), which that record uses, so
    /// one command can sweep many locations (Connect-Lc -AgencyToken ... -LocationId a, b, c); a record without one uses
    /// the command's, and stops the command with NotConnected when there is none.
    /// </summary>
    public abstract class LcConnectedCmdlet : LcCmdlet
    {
        /// <summary>The connection to use instead of the current one (Connect-Lc -PassThru returns one).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Connection? Connection { get; set; }

        private Connection? _session;

        /// <summary>
        /// The connection this record uses: the one the record carried (or -Connection), else the one <see cref="Open"/>
        /// resolved; not yet set in Begin.
        /// </summary>
        internal Connection Session => Connection ?? _session ?? throw LcException.NotConnected();

        internal override void Open()
        {
            _session = Connection ?? ConnectionStore.Current;
            // Piped records may bring their own connections: a record without one stops the command then (Session).
            if (_session == null && !MyInvocation.ExpectingInput) Terminate(LcException.NotConnected(), null);
        }
    }
}
