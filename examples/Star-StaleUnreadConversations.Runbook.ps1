<#
.SYNOPSIS
    Azure Automation runbook: stars every unread conversation whose last message is older than a day, so the team
    sees what has waited too long.

.DESCRIPTION
    Import LeadConnector.zip (./build.ps1 -Task Package, or the Gallery) into the Automation account as a module for
    runtime 5.1 or 7.4, then create these Automation assets:
      - a credential 'LeadConnector' whose password is the access token (a Private Integration Token, or a location
        OAuth access token); the user name is not used;
      - a variable 'LeadConnectorLocationId' with the location (sub-account) id;
      - optionally a variable 'LeadConnectorBaseUri' for a proxy or a test host (the default is the public API).
    Get-AutomationPSCredential and Get-AutomationVariable are Azure Automation's own cmdlets; they exist only inside
    a runbook job.

.PARAMETER OlderThanHours
    Star unread conversations whose last message is older than this. Default 24.

.PARAMETER CredentialName
    The name of the Automation credential that holds the token.

.EXAMPLE
    # In the Automation account: Start-AzAutomationRunbook -Name Star-StaleUnreadConversations ...
    ./Star-StaleUnreadConversations.Runbook.ps1 -OlderThanHours 48
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateRange(1, 8760)]
    [int] $OlderThanHours = 24,

    [string] $CredentialName = 'LeadConnector'
)

$ErrorActionPreference = 'Stop'
Import-Module LeadConnector

$credential = Get-AutomationPSCredential -Name $CredentialName
$connect = @{
    Credential = $credential
    LocationId = Get-AutomationVariable -Name 'LeadConnectorLocationId'
}
$baseUri = Get-AutomationVariable -Name 'LeadConnectorBaseUri' -ErrorAction SilentlyContinue
if ($baseUri) { $connect.BaseUri = $baseUri }
Connect-Lc @connect -Quiet

$cutoff = [DateTimeOffset]::UtcNow.AddHours(-$OlderThanHours)
$stale = @(Get-LcConversation -Status unread -All |
        Where-Object { -not $_.Starred -and $_.LastMessageDate -and $_.LastMessageDate -lt $cutoff })

# Errors for single conversations are written and the rest go on; the job's error stream shows them.
$starred = @($stale | Set-LcConversation -Starred $true -PassThru -WhatIf:$WhatIfPreference)

# One summary object: the job's output, readable in the portal and by a parent runbook.
[pscustomobject]@{
    Location       = $connect.LocationId
    Cutoff         = $cutoff.UtcDateTime.ToString('u')
    StaleUnread    = $stale.Count
    Starred        = $starred.Count
    ConversationId = @($starred | ForEach-Object { $_.Id })
}
Disconnect-Lc
