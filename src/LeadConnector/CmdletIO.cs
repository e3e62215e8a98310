using System;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>An error as the cmdlet layer decided it: id, category, message and target. Becomes an ErrorRecord in PowerShell.</summary>
    internal sealed class LcErrorInfo
    {
        public LcErrorInfo(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
        {
            Exception = exception;
            ErrorId = errorId;
            Category = category;
            Target = target;
            RecommendedAction = recommendedAction;
        }

        public Exception Exception { get; }
        public string ErrorId { get; }
        public ErrorCategory Category { get; }
        public object? Target { get; }
        public string Message => Exception.Message;
        public string? RecommendedAction { get; }

        public ErrorRecord ToErrorRecord()
        {
            var record = new ErrorRecord(Exception, ErrorId, Category, Target);
            if (RecommendedAction != null)
                record.ErrorDetails = new ErrorDetails(Exception.Message) { RecommendedAction = RecommendedAction };
            return record;
        }
    }

    /// <summary>A progress report, independent of ProgressRecord so tests can read it.</summary>
    internal sealed class LcProgressInfo
    {
        public LcProgressInfo(int activityId, string activity, string status, int percent, bool completed)
        {
            ActivityId = activityId;
            Activity = activity;
            Status = status;
            PercentComplete = percent;
            Completed = completed;
        }

        public int ActivityId { get; }
        public string Activity { get; }
        public string Status { get; }
        public int PercentComplete { get; }
        public bool Completed { get; }
    }

    /// <summary>
    /// Everything a cmdlet says to its host. In PowerShell it forwards to the Cmdlet methods (pipeline thread only);
    /// in tests a recorder implements it, so a test sees exactly what a user would.
    /// </summary>
    internal interface ICmdletIO
    {
        void WriteObject(object value);
        void WriteError(LcErrorInfo error);
        /// <summary>Stops the command with the error. Never returns normally.</summary>
        void ThrowTerminatingError(LcErrorInfo error);
        bool ShouldProcess(string target, string action);
        void WriteVerbose(string message);
        void WriteDebug(string message);
        void WriteWarning(string message);
        void WriteProgress(LcProgressInfo progress);
        /// <summary>-WhatIf is in effect (the switch or $WhatIfPreference).</summary>
        bool WhatIf { get; }
        /// <summary>-Confirm was given explicitly.</summary>
        bool ConfirmExplicit { get; }
    }

    /// <summary>The PowerShell implementation: forwards to the real cmdlet methods.</summary>
    internal sealed class PowerShellIO : ICmdletIO
    {
        private readonly PSCmdlet _cmdlet;

        public PowerShellIO(PSCmdlet cmdlet) => _cmdlet = cmdlet;

        public void WriteObject(object value) => _cmdlet.WriteObject(value);
        public void WriteError(LcErrorInfo error) => _cmdlet.WriteError(error.ToErrorRecord());

        public void ThrowTerminatingError(LcErrorInfo error)
        {
            _cmdlet.ThrowTerminatingError(error.ToErrorRecord());
            // PowerShell's ThrowTerminatingError always throws; this line guards against a host that does not.
            throw error.Exception;
        }

        public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);
        public void WriteVerbose(string message) => _cmdlet.WriteVerbose(message);
        public void WriteDebug(string message) => _cmdlet.WriteDebug(message);
        public void WriteWarning(string message) => _cmdlet.WriteWarning(message);

        public void WriteProgress(LcProgressInfo p) =>
            _cmdlet.WriteProgress(new ProgressRecord(p.ActivityId, p.Activity, p.Status)
            {
                PercentComplete = p.PercentComplete,
                RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            });

        public bool WhatIf
        {
            get
            {
                if (_cmdlet.MyInvocation?.BoundParameters != null &&
                    _cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w))
                    return LanguagePrimitives.IsTrue(w);
                return LanguagePrimitives.IsTrue(_cmdlet.SessionState?.PSVariable.GetValue("WhatIfPreference"));
            }
        }

        public bool ConfirmExplicit =>
            _cmdlet.MyInvocation?.BoundParameters != null &&
            _cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out var c) && LanguagePrimitives.IsTrue(c);
    }
}
