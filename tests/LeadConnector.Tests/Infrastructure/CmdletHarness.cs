using System;
using System.Threading;
using LeadConnector.Commands;

namespace LeadConnector.Tests.Infrastructure
{
    /// <summary>
    /// Runs a cmdlet the way the PowerShell pipeline does, without PowerShell: Begin, one Process per input
    /// (after binding that input's properties), End, all on the calling ("pipeline") thread.
    /// </summary>
    internal static class CmdletHarness
    {
        public static CmdletRecorder Run<T>(T cmdlet, CmdletRecorder? recorder = null, params Action<T>[] inputs) where T : LcCmdlet
        {
            recorder ??= new CmdletRecorder();
            cmdlet.IO = recorder;
            try
            {
                cmdlet.InvokeBegin();
                if (inputs.Length == 0) cmdlet.InvokeProcess();
                foreach (var bind in inputs)
                {
                    bind(cmdlet);
                    cmdlet.InvokeProcess();
                }
                cmdlet.InvokeEnd();
            }
            catch (RecordedTerminatingError)
            {
                // recorded: recorder.Terminating
            }
            return recorder;
        }

        /// <summary>Runs a cmdlet on this thread and presses Ctrl+C (StopProcessing) from another after <paramref name="after"/>.</summary>
        public static (CmdletRecorder Recorder, Exception? Thrown) RunAndStop<T>(T cmdlet, TimeSpan after) where T : LcCmdlet
        {
            var recorder = new CmdletRecorder();
            cmdlet.IO = recorder;
            using var timer = new Timer(_ => cmdlet.InvokeStop(), null, after, Timeout.InfiniteTimeSpan);
            try
            {
                cmdlet.InvokeBegin();
                cmdlet.InvokeProcess();
                cmdlet.InvokeEnd();
                return (recorder, null);
            }
            catch (Exception ex)
            {
                return (recorder, ex);
            }
        }
    }
}
