using System;

namespace LeadConnector
{
    /// <summary>The conversation's primary channel. Get-by-id sends a number, search a TYPE_* string; both read here.</summary>
    public enum ConversationType
    {
        Unknown = 0,
        Phone = 1,
        Email = 2,
        FacebookMessenger = 3,
        Review = 4,
        GroupSms = 5,
        InternalChat = 6,
    }
}
