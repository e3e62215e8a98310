using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;

namespace LeadConnector.Commands
{
    /// <summary>
    /// A connected cmdlet that takes many ids or objects, with one job: -ThrottleLimit and the <see cref="BulkWindow"/>.
    /// Every record's request goes through the window, so all such cmdlets keep the input order, show the same progress
    /// and cancel the same way.
    /// </summary>
    public abstract class LcBulkCmdlet : LcConnectedCmdlet
    {
        /// <summary>How many requests may be in flight at once over many inputs (default 8). Output keeps the input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        private BulkWindow? _window;

        /// <summary>
        /// Sends a checked request for one record without waiting for it (<see cref="BulkWindow.Start{T}"/>); call it after
        /// ShouldProcess said yes. <paramref name="onSuccess"/> runs on the pipeline thread, in input order.
        /// </summary>
        internal void Start<T>(LcRequest<T> request, object? target, Action<T> onSuccess) => Start(request.SendAsync, target, onSuccess);

        /// <summary>The same for an engine call that is more than one request.</summary>
        internal void Start<T>(Func<LcCall, Task<T>> operation, object? target, Action<T> onSuccess) =>
            (_window ??= new BulkWindow(this, ThrottleLimit)).Start(operation, target, onSuccess, _quota.Limit(this, Session));

        private readonly WindowQuota _quota = new WindowQuota();

        /// <summary>
        /// One request per id, each built by <paramref name="prepare"/> (a refused id is that record's error) and written
        /// in input order. With an array of ids a bar counts them as they start and closes once the last result is written;
        /// piped ids come one per record: no bar, and the window stays open across records.
        /// </summary>
        internal void StartEach<T>(IReadOnlyList<string> ids, string activity, Func<string, LcRequest<T>> prepare)
        {
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

        internal override void Drain() => _window?.Drain();
    }
}
