<#
.SYNOPSIS
    Bulk update: reads conversation ids and changes from a CSV file and applies them.

.DESCRIPTION
    The CSV has a header row with an Id column and any of Starred (true/false), UnreadCount (a number) and
    LocationId. Empty cells leave that field unchanged. For example:

        Id,Starred,UnreadCount
        conv-a001,true,0
        conv-a002,,0
        conv-a003,false,

    Rows whose values cannot be read are reported as errors, with the row number, and the other rows still go.
    Uses the current connection (Connect-Lc first), or -Connection.

.PARAMETER Path
    The CSV file.

.PARAMETER Connection
    A connection from Connect-Lc -PassThru; the current connection when not given.

.EXAMPLE
    Connect-Lc -AccessToken $token -LocationId $location
    ./Update-ConversationsFromCsv.ps1 -Path ./changes.csv -WhatIf

.EXAMPLE
    ./Update-ConversationsFromCsv.ps1 -Path ./changes.csv | Format-Table Id, Starred, UnreadCount
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateScript({ Test-Path -LiteralPath $_ -PathType Leaf })]
    [string] $Path,

    [object] $Connection
)

Import-Module LeadConnector
$common = @{}
if ($Connection) { $common.Connection = $Connection }

function Read-Cell($Line, [string] $Name) {
    $property = $Line.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    $text = "$($property.Value)".Trim()
    if ($text) { $text } else { $null }
}

$row = 1
foreach ($line in Import-Csv -LiteralPath $Path) {
    $row++
    $change = @{}
    $problem = $null
    $id = Read-Cell $line 'Id'
    $starred = Read-Cell $line 'Starred'
    $unread = Read-Cell $line 'UnreadCount'
    $location = Read-Cell $line 'LocationId'
    # [bool]'false' is $true in PowerShell: parse the text instead of casting it.
    $flag = $false
    $count = 0
    if (-not $id) { $problem = 'the Id column is empty' }
    elseif ($starred -and -not [bool]::TryParse($starred, [ref] $flag)) { $problem = "Starred must be true or false, not '$starred'" }
    elseif ($unread -and -not [int]::TryParse($unread, [System.Globalization.NumberStyles]::None, [cultureinfo]::InvariantCulture, [ref] $count)) { $problem = "UnreadCount must be a whole number of 0 or more, not '$unread'" }
    elseif (-not $starred -and -not $unread) { $problem = 'there is nothing to change' }
    if ($problem) {
        Write-Error -Message "Row ${row} of ${Path}: $problem." -Category InvalidData -ErrorId 'InvalidCsvRow' -TargetObject $line
        continue
    }
    if ($starred) { $change.Starred = $flag }
    if ($unread) { $change.UnreadCount = $count }
    if ($location) { $change.LocationId = $location }
    Set-LcConversation -Id $id @change @common -PassThru -WhatIf:$WhatIfPreference
}
