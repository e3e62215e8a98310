using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Cursor paging for the cmdlets that list or search: -First and -All, one page at a time, a bar while it goes.</summary>
    internal static class Paging
    {
        /// <summary>-All and -First together are refused before anything is sent (ConflictingParameters).</summary>
        public static void RefuseAllWithFirst(LcCmdlet cmdlet, bool all, int? first, string what = "match")
        {
            if (all && first != null)
                cmdlet.Terminate($"Use -All to read every {what}, or -First to stop after a number of them, not both.",
                    "ConflictingParameters", ErrorCategory.InvalidArgument, null);
        }

        /// <summary>
        /// Pages through <paramref name="list"/>: sends a page's request, hands each of its items to <paramref name="write"/>
        /// (on the pipeline thread, as the page arrives; nothing accumulates), and asks for the next until the pager is done
        /// or a call fails (the error is reported, the command goes on with the next record). With -All or -First a bar
        /// shows the pages. The caller warns about what remains (<see cref="CursorPager{T}.StoppedAtFirstPage"/>).
        /// </summary>
        /// <remarks>
        /// With -CheckpointPath (<see cref="LcBulkCmdlet"/>) the listing is one unit of the job: after each page's items
        /// were written the next page's cursor is recorded, so a run after a restart goes on with that page (the items
        /// written before are not written again), and a listing an earlier run finished is skipped.
        /// </remarks>
        public static void Page<T>(LcCmdlet cmdlet, LcPagedRequest<T> list, CursorPager<T> pager, int barId, string activity, string noun,
            string? context, object? target, System.Action<T> write)
        {
            var job = cmdlet is LcBulkCmdlet bulk && bulk.Checkpointing ? bulk : null;
            CheckpointPosition position = default;
            string hash = "";
            if (job != null && !job.ResumePaging(pager, target, out position, out hash)) return;
            int page = 0;
            var bar = new ProgressBar(cmdlet, barId, activity);
            try
            {
                while (!pager.Done)
                {
                    var limit = pager.NextLimit();
                    var cursor = pager.Cursor;
                    if (!cmdlet.TryAwait(call => list.Page(limit, cursor).SendAsync(call), target, out var result)) break;
                    page++;
                    foreach (var item in pager.Accept(result)) write(item);
                    job?.PageWritten(position, hash, pager.Cursor, pager.Returned, pager.Done);
                    if (pager.PagesOn && !pager.Done) bar.Page(page, pager.Returned, pager.First, pager.Total, noun, context);
                }
            }
            finally
            {
                bar.Complete();
            }
        }
    }
}
