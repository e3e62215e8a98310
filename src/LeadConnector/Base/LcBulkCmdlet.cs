using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Looks up whether an earlier run's create, whose answer was never recorded, reached the API: the thing it made, or
    /// Found=false (then it is sent). <paramref name="sentAt"/> is when that run recorded the send (this machine's clock).
    /// </summary>
    internal delegate Task<(bool Found, T Value)> Recheck<T>(LcCall call, DateTimeOffset sentAt);

    /// <summary>
    /// A connected cmdlet that takes many ids or objects, with one job: the bulk job. -ThrottleLimit and the
    /// <see cref="BulkWindow"/>: every record's request goes through the window, so all such cmdlets keep the input order,
    /// show the same progress and cancel the same way. -CheckpointPath: the job's progress is kept in a file
    /// (<see cref="Checkpoint"/>), so a run after a restart goes on where the last one stopped.
    /// </summary>
    /// <remarks>
    /// With a checkpoint every unit (one <see cref="Start{T}(Func{LcCall, Task{T}}, object?, Action{T}, Recheck{T}?, string?)"/>,
    /// or one -All listing) has a position: the input record and its place in it. A unit recorded as done is skipped; a
    /// unit sent but never recorded as done is sent again when that is safe (<see cref="CheckpointRepeatable"/>), looked up
    /// first when the cmdlet gives a <see cref="Recheck{T}"/>, and otherwise reported (CheckpointUncertain), never resent.
    /// </remarks>
    public abstract class LcBulkCmdlet : LcConnectedCmdlet
    {
        /// <summary>How many requests may be in flight at once over many inputs (default 8). Output keeps the input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>
        /// A file that records how far this job got (created if missing): run the same command with the same file after a
        /// stop or restart and it goes on where the last run stopped. Removed when the job finishes.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CheckpointPath { get; set; }

        /// <summary>When the checkpoint records another job (other parameters or input), start this job over in it instead of refusing.</summary>
        [Parameter]
        public SwitchParameter OverwriteCheckpoint { get; set; }

        private BulkWindow? _window;
        private Checkpoint? _checkpoint;
        private long _record = -1;
        private int _unit;
        private int _skipped, _rechecked;

        /// <summary>
        /// True when a unit whose request may have reached the API can simply be sent again (GET, PUT, DELETE, tags, ...).
        /// A cmdlet that creates overrides it to false: such a unit is looked up first (its <see cref="Recheck{T}"/>) or reported.
        /// </summary>
        internal virtual bool CheckpointRepeatable => true;

        private static readonly HashSet<string> NotInFingerprint = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            nameof(CheckpointPath), nameof(OverwriteCheckpoint), nameof(Connection), nameof(ThrottleLimit),
            "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
            "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
        };

        /// <summary>
        /// Sends a checked request for one record without waiting for it (<see cref="BulkWindow.Start{T}"/>); call it after
        /// ShouldProcess said yes. <paramref name="onSuccess"/> runs on the pipeline thread, in input order.
        /// </summary>
        internal void Start<T>(LcRequest<T> request, object? target, Action<T> onSuccess, Recheck<T>? recheck = null) =>
            Start(request.SendAsync, target, onSuccess, recheck, request.Method);

        /// <summary>
        /// The same for an engine call that is more than one request. <paramref name="recheck"/>: how to find what an
        /// earlier run's lost create made; <paramref name="method"/>: the HTTP method when it is one request.
        /// </summary>
        internal void Start<T>(Func<LcCall, Task<T>> operation, object? target, Action<T> onSuccess, Recheck<T>? recheck = null, string? method = null)
        {
            var window = _window ??= new BulkWindow(this, ThrottleLimit);
            var checkpoint = _checkpoint;
            if (checkpoint == null)
            {
                window.Start(operation, target, onSuccess, _quota.Limit(this, Session));
                return;
            }
            var position = new CheckpointPosition(_record, _unit++);
            var hash = UnitHash(target);
            var state = Check(checkpoint, position, hash, target, out var sentAt);
            if (state == CheckpointState.Done)
            {
                _skipped++;
                return;
            }
            var send = operation;
            if (state == CheckpointState.Sent)
            {
                _rechecked++;
                if (recheck != null)
                {
                    send = async call =>
                    {
                        var (found, value) = await recheck(call, sentAt).ConfigureAwait(false);
                        if (found && call.HasTrace) call.Verbose($"Checkpoint: {target} was made by an earlier run (found it); it is not sent again.");
                        return found ? value : await operation(call).ConfigureAwait(false);
                    };
                }
                else if (string.Equals(method, "DELETE", StringComparison.OrdinalIgnoreCase))
                {
                    // The earlier run's delete may have gone through: its thing being gone is the result wanted.
                    send = async call =>
                    {
                        try { return await operation(call).ConfigureAwait(false); }
                        catch (LcException ex) when (ex.Kind == LcErrorKind.NotFound) { return default!; }
                    };
                }
                else if (!CheckpointRepeatable)
                {
                    Drain(); // the records before this one come first
                    var ex = new LcException(LcErrorKind.InvalidInput, $"{target}: an earlier run sent this create and stopped before its answer was " +
                        $"recorded (checkpoint '{checkpoint.Path}'), and it cannot be looked up. It is not sent again, so nothing is made twice: " +
                        "check whether it was made, and send it by itself if not.");
                    WriteError(ErrorMap.Record(ex, "CheckpointUncertain", ErrorCategory.OperationStopped, target));
                    return;
                }
            }
            Record(() => checkpoint.Sent(position, hash, DateTimeOffset.UtcNow));
            window.Start(send, target, result =>
            {
                onSuccess(result);
                Record(() => checkpoint.Done(position, hash));
            }, _quota.Limit(this, Session));
        }

        private readonly WindowQuota _quota = new WindowQuota();

        /// <summary>
        /// One request per id, each built by <paramref name="prepare"/> (a refused id is that record's error) and written
        /// in input order. With an array of ids a bar counts them as they start and closes once the last result is written;
        /// piped ids come one per record: no bar, and the window stays open across records.
        /// </summary>
        internal void StartEach<T>(IReadOnlyList<string> ids, string activity, Func<string, LcRequest<T>> prepare)
        {
            if (ids.Count == 1 && RunsAlone(ids[0], prepare)) return;
            var bar = ids.Count > 1 ? new ProgressBar(this, ProgressBar.Items, activity) : null;
            try
            {
                for (int i = 0; i < ids.Count; i++)
                {
                    var id = ids[i];
                    bar?.Item(i, ids.Count, id);
                    if (TryPrepare(() => prepare(id), id, out var request)) Start(request, id, result => WriteObject(result));
                }
                if (bar != null) Drain();
            }
            finally
            {
                bar?.Complete();
            }
        }

        /// <summary>
        /// Where the next unit (the next <see cref="Start{T}(Func{LcCall, Task{T}}, object?, Action{T}, Recheck{T}?, string?)"/>
        /// with this <paramref name="target"/>) stands in the checkpoint: New without one. For a cmdlet whose own checks
        /// before the send depend on what an earlier run did (a file it saved).
        /// </summary>
        internal CheckpointState NextUnitState(object? target) =>
            _checkpoint == null ? CheckpointState.New : Check(_checkpoint, new CheckpointPosition(_record, _unit), UnitHash(target), target, out _);

        /// <summary>True when this command keeps a checkpoint (-CheckpointPath, not -WhatIf).</summary>
        internal bool Checkpointing => _checkpoint != null;

        /// <summary>
        /// For <see cref="Paging"/>: the position of a -All listing. False when an earlier run finished it (skip it);
        /// else, when an earlier run stopped in the middle, the pager goes on from its recorded cursor.
        /// </summary>
        internal bool ResumePaging<T>(CursorPager<T> pager, object? target, out CheckpointPosition position, out string hash)
        {
            position = new CheckpointPosition(_record, _unit++);
            hash = UnitHash(target);
            var checkpoint = _checkpoint!;
            var state = Check(checkpoint, position, hash, target, out _);
            if (state == CheckpointState.Done)
            {
                _skipped++;
                return false;
            }
            if (checkpoint.TryGetPage(position, out var cursor, out var returned))
            {
                pager.ResumeAt(cursor, returned);
                WriteVerbose($"Checkpoint: going on after the {returned} items an earlier run listed.");
            }
            return true;
        }

        /// <summary>For <see cref="Paging"/>: a page's items were written; the next page starts at <paramref name="cursor"/>.</summary>
        internal void PageWritten(CheckpointPosition position, string hash, string? cursor, int returned, bool done)
        {
            var checkpoint = _checkpoint!;
            if (done) Record(() => checkpoint.Done(position, hash));
            else if (cursor != null) Record(() => checkpoint.Page(position, hash, cursor, returned));
        }

        internal override void Open()
        {
            base.Open();
            if (CheckpointPath == null) return;
            if (WhatIfWanted())
            {
                WriteVerbose("-WhatIf: the checkpoint is neither read nor written.");
                return;
            }
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CheckpointPath);
            try
            {
                _checkpoint = Checkpoint.Open(path, JobFingerprint(), MyInvocation.MyCommand.Name, OverwriteCheckpoint.IsPresent);
            }
            catch (LcException ex) when (ex.Data[Checkpoint.ErrorKey] is string id)
            {
                Terminate(ex.Message, id, ErrorCategory.InvalidData, CheckpointPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                Unavailable(ex);
            }
            if (_checkpoint!.Resumed) WriteVerbose($"Checkpoint '{path}': resuming the job; {_checkpoint.DoneCount} units were done by earlier runs and are skipped.");
        }

        internal override void NextRecord()
        {
            _record++;
            _unit = 0;
        }

        internal override void Close(bool finished)
        {
            var checkpoint = _checkpoint;
            if (checkpoint == null) return;
            _checkpoint = null;
            if (!finished)
            {
                checkpoint.Dispose();
                return;
            }
            try
            {
                checkpoint.Complete();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Unavailable(ex);
            }
            WriteVerbose($"Checkpoint: the job finished ({_skipped} units done by earlier runs skipped, {_rechecked} sent again or looked up); '{checkpoint.Path}' was removed.");
        }

        /// <summary>
        /// One id and no pipeline input (<c>foreach ($i in $ids) { Get-LcConversation -Id $i }</c>): the command's only
        /// request, so it runs at once, without the window, and waits on this thread (<see cref="LcCmdlet.Await{T}"/>).
        /// Returns false when the window is needed (piped input may follow, or calls are already in flight).
        /// </summary>
        private bool RunsAlone<T>(string id, Func<string, LcRequest<T>> prepare)
        {
            if (_window != null || _checkpoint != null || MyInvocation.ExpectingInput) return false;
            if (TryPrepare(() => prepare(id), id, out var request) && TryAwait(request.SendAsync, id, out var result)) WriteObject(result);
            return true;
        }

        internal override void Drain() => _window?.Drain();

        private CheckpointState Check(Checkpoint checkpoint, CheckpointPosition position, string hash, object? target, out DateTimeOffset sentAt)
        {
            try
            {
                return checkpoint.Check(position, hash, OverwriteCheckpoint.IsPresent, out sentAt);
            }
            catch (LcException ex) when (ex.Data[Checkpoint.ErrorKey] is string id)
            {
                Drain();
                Terminate(ex.Message, id, ErrorCategory.InvalidData, target);
            }
            catch (IOException ex)
            {
                Unavailable(ex);
            }
            sentAt = default;
            return CheckpointState.New; // not reached: Terminate throws
        }

        private void Record(Action write)
        {
            try
            {
                write();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ObjectDisposedException)
            {
                Unavailable(ex);
            }
        }

        private void Unavailable(Exception ex)
        {
            Cancel(); // nothing more is sent that could not be recorded
            ThrowTerminatingError(new ErrorRecord(new IOException($"The checkpoint '{CheckpointPath}' cannot be written: {ex.Message}", ex),
                "CheckpointUnavailable", ErrorCategory.WriteError, CheckpointPath));
        }

        private bool WhatIfWanted() =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var v) ? LanguagePrimitives.IsTrue(v)
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        /// <summary>The job: the command and the parameters given on its command line (not the ones a run may change).</summary>
        private string JobFingerprint() => Checkpoint.Fingerprint(MyInvocation.MyCommand.Name + "\n" + CheckpointCanon.Parameters(MyInvocation.BoundParameters, NotInFingerprint));

        /// <summary>One unit's input: this record's parameters (pipeline-bound ones included) and its target.</summary>
        private string UnitHash(object? target) =>
            Checkpoint.ItemHash(CheckpointCanon.Parameters(MyInvocation.BoundParameters, NotInFingerprint) + "\n" + CheckpointCanon.Text(target));
    }
}
