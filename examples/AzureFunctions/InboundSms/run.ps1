# HighLevel webhook receiver: verifies the x-ghl-signature, refuses replays, answers each inbound SMS, returns 200.
# 401: the signature is missing or wrong; 409: a replay (an old timestamp or a webhookId this worker has seen);
# 400: a signed body that is not a webhook; 500: the reply could not be sent.
using namespace System.Net

param($Request, $TriggerMetadata)

function Send-Response([HttpStatusCode] $Status, [string] $Body) {
    Push-OutputBinding -Name Response -Value ([HttpResponseContext]@{ StatusCode = $Status; Body = $Body })
}

# The signature covers the raw body: use RawBody (Body is the host's parsed copy).
$signature = [string] $Request.Headers['x-ghl-signature']
try {
    $events = @(ConvertFrom-LcWebhook -Body ([string] $Request.RawBody) -Signature $signature -ErrorAction Stop)
}
catch {
    $status = switch -Wildcard ($_.FullyQualifiedErrorId) {
        'InvalidWebhookSignature*' { [HttpStatusCode]::Unauthorized }
        'WebhookReplayed*' { [HttpStatusCode]::Conflict }
        default { [HttpStatusCode]::BadRequest }
    }
    Write-Warning "Webhook refused ($status): $($_.Exception.Message)"
    Send-Response $status 'refused'
    return
}

$reply = if ($env:LC_SMS_REPLY) { $env:LC_SMS_REPLY } else { 'Thanks for your message! We will get back to you shortly.' }
try {
    foreach ($event in $events) {
        if ($event.WebhookType -eq 'InboundMessage' -and $event.MessageType -eq 'TYPE_SMS') {
            # The message binds its ContactId: the reply goes to the contact who wrote.
            $sent = $event | Send-LcMessage -Type SMS -Message $reply -Confirm:$false -ErrorAction Stop
            Write-Information "Answered $($event.ContactId) in $($sent.ConversationId) ($($sent.MessageId))" -InformationAction Continue
        }
    }
}
catch {
    Write-Error "The reply could not be sent: $($_.Exception.Message)" -ErrorAction Continue
    Send-Response ([HttpStatusCode]::InternalServerError) 'reply failed'
    return
}
Send-Response ([HttpStatusCode]::OK) 'ok'
