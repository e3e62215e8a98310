using System;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// The progress bars of the module, one shape for every cmdlet: "Page 3: 60 of 131 conversations" while paging with
    /// -All or -First, and "3 of 10: conv-a003" while working through an array of ids. A bar is only shown once there is
    /// something to wait for (a second page, a second id), and a Completed record closes it when the work ends, by
    /// finishing, failing or being stopped (when PowerShell still lets the cmdlet write). $ProgressPreference
    /// 'SilentlyContinue' hides every record: PowerShell drops them.
    /// </summary>
    internal sealed class ProgressBar
    {
        /// <summary>Activity ids, so nested bars (Get-LcConversation -All | Get-LcMessage -All) stack, not overwrite.</summary>
        internal const int ConversationPaging = 1, MessagePaging = 2, ContactPaging = 3, Items = 10;

        private readonly Cmdlet _cmdlet;
        private readonly int _id;
        private readonly string _activity;
        private bool _shown;

        public ProgressBar(Cmdlet cmdlet, int id, string activity)
        {
            _cmdlet = cmdlet;
            _id = id;
            _activity = activity;
        }

        /// <summary>A page came in and more will follow: the count so far and, when known, the total to expect.</summary>
        public void Page(int page, int returned, int? first, int? total, string noun, string? context = null)
        {
            int? target = first is int f && total is int t ? Math.Min(f, t) : first ?? total;
            var text = (context == null ? "" : context + ", ") + $"page {page}: {returned}" + (target is int n ? $" of {n}" : "") + " " + noun;
            Write(char.ToUpperInvariant(text[0]) + text.Substring(1), target is int all && all > 0 ? Math.Min(100, returned * 100 / all) : -1);
        }

        /// <summary>Item <paramref name="index"/> (0-based) of <paramref name="count"/> is about to be worked on.</summary>
        public void Item(int index, int count, string what) =>
            Write($"{index + 1} of {count}: {what}", count > 0 ? Math.Min(100, index * 100 / count) : -1);

        private void Write(string status, int percent)
        {
            _shown = true;
            _cmdlet.WriteProgress(new ProgressRecord(_id, _activity, status) { PercentComplete = percent });
        }

        /// <summary>Closes the bar when one was shown. Safe when the pipeline is being stopped: then it writes nothing.</summary>
        public void Complete()
        {
            if (!_shown) return;
            _shown = false;
            try
            {
                _cmdlet.WriteProgress(new ProgressRecord(_id, _activity, "Done") { PercentComplete = 100, RecordType = ProgressRecordType.Completed });
            }
            catch (PipelineStoppedException) { } // stopped: PowerShell no longer lets the cmdlet write; the host clears the bar
            catch (InvalidOperationException) { } // written from outside the pipeline thread or after the command ended
        }
    }
}
