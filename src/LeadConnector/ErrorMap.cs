using System;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>The PowerShell face of engine errors: error id, category, whether the command stops, and advice.</summary>
    internal static class ErrorMap
    {
        /// <summary>The error id and category of an engine error: each kind its own, and a refused id (InvalidId) apart from other refused input.</summary>
        public static (string ErrorId, ErrorCategory Category) For(LcException ex)
        {
            switch (ex.Kind)
            {
                case LcErrorKind.InvalidInput:
                    return Engine.InputGuard.RefusedId(ex) ? ("InvalidId", ErrorCategory.InvalidArgument) : ("InvalidInput", ErrorCategory.InvalidArgument);
                case LcErrorKind.InvalidRequest: return ("ApiInvalidRequest", ErrorCategory.InvalidArgument);
                case LcErrorKind.Unauthorized: return ("ApiUnauthorized", ErrorCategory.AuthenticationError);
                case LcErrorKind.Forbidden: return ("ApiForbidden", ErrorCategory.PermissionDenied);
                case LcErrorKind.NotFound: return ("ApiNotFound", ErrorCategory.ObjectNotFound);
                case LcErrorKind.RateLimited: return ("ApiRateLimited", ErrorCategory.LimitsExceeded);
                case LcErrorKind.DailyLimitReached: return ("ApiDailyLimitReached", ErrorCategory.LimitsExceeded);
                case LcErrorKind.ServerError: return ("ApiServerError", ErrorCategory.ResourceUnavailable);
                case LcErrorKind.Timeout: return ("RequestTimedOut", ErrorCategory.OperationTimeout);
                case LcErrorKind.Network: return ("NetworkError", ErrorCategory.ConnectionError);
                case LcErrorKind.InvalidResponse: return ("InvalidApiResponse", ErrorCategory.InvalidResult);
                case LcErrorKind.NotConnected: return ("NotConnected", ErrorCategory.ConnectionError);
                case LcErrorKind.Cancelled: return ("OperationStopped", ErrorCategory.OperationStopped);
                case LcErrorKind.NoLocation: return ("NoLocationId", ErrorCategory.InvalidArgument);
                case LcErrorKind.TokenNotSaved: return ("RefreshTokenNotSaved", ErrorCategory.WriteError);
                default: return ("LeadConnectorError", ErrorCategory.NotSpecified); // a kind this map does not know yet
            }
        }

        /// <summary>Errors that every following record would hit too stop the command instead of repeating.</summary>
        public static bool IsTerminating(LcErrorKind kind) =>
            kind == LcErrorKind.NotConnected || kind == LcErrorKind.Unauthorized || kind == LcErrorKind.DailyLimitReached;

        public static ErrorRecord ToErrorRecord(LcException ex, object? target)
        {
            var (id, category) = For(ex);
            return Record(ex, id, category, target, Advice(ex.Kind));
        }

        /// <summary>An ErrorRecord with the id and category the cmdlet layer decided, and advice when there is some.</summary>
        public static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (recommendedAction != null)
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
            return record;
        }

        private static string? Advice(LcErrorKind kind)
        {
            switch (kind)
            {
                case LcErrorKind.NotConnected: return "Run Connect-Lc (or pass -Connection).";
                case LcErrorKind.Unauthorized: return "Run Connect-Lc with a valid, unexpired access token.";
                case LcErrorKind.Forbidden: return "Use a token issued for this location, or pass the right -LocationId or -Connection.";
                case LcErrorKind.RateLimited: return "Retry later, or raise Connect-Lc -MaxRetries / -MaxRetryTimeSec.";
                case LcErrorKind.DailyLimitReached: return "Wait until the daily quota resets.";
                case LcErrorKind.Timeout: return "Retry, or raise Connect-Lc -TimeoutSec.";
                case LcErrorKind.NoLocation: return "Pass -LocationId, or connect with Connect-Lc -LocationId.";
                default: return null;
            }
        }
    }
}
