<#
.SYNOPSIS
    Azure Automation runbook: upserts the contacts of every CSV file in an inbox folder, and when Automation stops the
    job (the three-hour fair-share limit, a worker restart, a manual stop), the next scheduled run goes on where it stopped.

.DESCRIPTION
    Each CSV file (columns in the API's names: firstName, lastName, email, phone, tags, companyName, ...) is one job:
        Import-Csv <file> | New-LcContact -Upsert -CheckpointPath <file>.checkpoint
    The checkpoint records every row sent and done, flushed to the disk. A job that is stopped keeps its file and its
    CSV in the inbox; the next run (schedule the runbook, e.g. hourly) runs the same command with the same checkpoint,
    so the rows done are skipped and each row is upserted once. A finished job removes its checkpoint and moves its CSV
    to the 'done' folder next to the inbox, so the next run does not start it again.

    The inbox must be on a disk that outlives the job: run the runbook on a Hybrid Runbook Worker, or point the inbox
    at an Azure Files share the worker mounts. (A cloud sandbox's own disk is gone when the job stops.)

    Automation assets:
      - a credential 'LeadConnector' whose password is the access token (a Private Integration Token); user name unused;
      - a variable 'LeadConnectorLocationId' with the location (sub-account) id;
      - optionally a variable 'LeadConnectorBaseUri' for a proxy or a test host (the default is the public API).
    Get-AutomationPSCredential and Get-AutomationVariable are Azure Automation's own cmdlets; they exist only inside
    a runbook job.

.PARAMETER InboxPath
    The folder whose *.csv files are imported (default: the variable 'LeadConnectorInbox').

.PARAMETER CredentialName
    The name of the Automation credential that holds the token.

.EXAMPLE
    # Linked to an hourly schedule on a Hybrid Runbook Worker group:
    ./Update-ContactsResumable.Runbook.ps1 -InboxPath D:\lc\inbox
#>
[CmdletBinding()]
param(
    [string] $InboxPath,

    [string] $CredentialName = 'LeadConnector'
)

$ErrorActionPreference = 'Stop'
Import-Module LeadConnector

if (-not $InboxPath) { $InboxPath = Get-AutomationVariable -Name 'LeadConnectorInbox' }
$connect = @{
    Credential = Get-AutomationPSCredential -Name $CredentialName
    LocationId = Get-AutomationVariable -Name 'LeadConnectorLocationId'
}
$baseUri = Get-AutomationVariable -Name 'LeadConnectorBaseUri' -ErrorAction SilentlyContinue
if ($baseUri) { $connect.BaseUri = $baseUri }
Connect-Lc @connect -Quiet

$done = Join-Path (Split-Path -Parent $InboxPath) 'done'
$null = New-Item -ItemType Directory -Path $done -Force

foreach ($csv in @(Get-ChildItem -LiteralPath $InboxPath -Filter '*.csv' -File | Sort-Object Name)) {
    $checkpoint = $csv.FullName + '.checkpoint'
    $resumed = Test-Path -LiteralPath $checkpoint
    # Rows the API refuses are errors in the job's error stream; the other rows go on. An error every row would hit
    # (a refused token, the daily limit) stops the job with its checkpoint kept: the next run goes on from there.
    $contacts = @(Import-Csv -LiteralPath $csv.FullName |
            New-LcContact -Upsert -CheckpointPath $checkpoint -ErrorAction Continue -ErrorVariable refused)
    Move-Item -LiteralPath $csv.FullName -Destination (Join-Path $done $csv.Name) -Force

    # One summary object per file: the job's output, readable in the portal.
    [pscustomobject]@{
        File     = $csv.Name
        Resumed  = $resumed
        Upserted = $contacts.Count
        Refused  = @($refused).Count
    }
}
