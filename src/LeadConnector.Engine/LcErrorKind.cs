using System;

namespace LeadConnector
{
    /// <summary>What went wrong, independent of how a host presents it.</summary>
    public enum LcErrorKind
    {
        /// <summary>400 or 422: the API rejected the request's content.</summary>
        InvalidRequest,
        /// <summary>401: the token is missing, invalid or expired.</summary>
        Unauthorized,
        /// <summary>403: the token may not act on this location or object.</summary>
        Forbidden,
        /// <summary>404: no such object.</summary>
        NotFound,
        /// <summary>429 that retries could not get past.</summary>
        RateLimited,
        /// <summary>The daily quota is used up; nothing is sent until it resets.</summary>
        DailyLimitReached,
        /// <summary>5xx, or another status the API should not answer.</summary>
        ServerError,
        /// <summary>No answer within the per-request timeout.</summary>
        Timeout,
        /// <summary>Connection refused, reset or dropped.</summary>
        Network,
        /// <summary>A body the client could not understand.</summary>
        InvalidResponse,
        /// <summary>Input refused before anything was sent (ids, values, settings).</summary>
        InvalidInput,
        /// <summary>No connection: Connect-Lc has not run.</summary>
        NotConnected,
        /// <summary>The caller cancelled.</summary>
        Cancelled,
        /// <summary>A call that needs a location got none: no -LocationId and no default location on the connection.</summary>
        NoLocation,
        /// <summary>The refresh token rotated but could not be saved to its file; the new one is kept in the session.</summary>
        TokenNotSaved,
    }
}
