// ServerlessComments in one resource group: a Function App on the Flex Consumption plan running
// as a user-assigned identity, a storage account without shared keys, Key Vault (RBAC) for the
// app's secrets, Log Analytics and Application Insights without local authentication.
//
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.bicepparam
//
// or `azd up` from the repository's root (azure.yaml). infra/README.md has the details.

targetScope = 'resourceGroup'

import { blogSettings, smtpSettings, spamSettings } from 'modules/types.bicep'

@description('Name of the environment (azd\'s AZURE_ENV_NAME); part of every resource\'s name token.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Azure region of every resource; one where the Flex Consumption plan is offered.')
param location string = resourceGroup().location

@description('The blog: its address, name, language and email senders.')
param blog blogSettings

@description('Origins allowed to call the API from a browser (platform CORS), e.g. [\'https://blog.example.com\']. No wildcard.')
@minLength(1)
param allowedOrigins string[]

@description('Serve page views from storage: the thread views\' container becomes public read-only (its blobs, no listing), with a CORS rule for allowedOrigins, and the widget reads first pages and counts there; functions then serve only writes, later pages and the owner. Off: every page view runs functions. docs/cost.md has the arithmetic.')
param publicViews bool = true

@description('Which comments wait for the owner: none, first-time (authors without a published comment) or all.')
param moderationMode 'none' | 'first-time' | 'all' = 'first-time'

@description('Days a comment keeps the IP address and user agent it came with (Privacy__RetentionDays).')
@minValue(1)
@maxValue(3650)
param retentionDays int = 30

@description('The built-in spam defences.')
param spam spamSettings = {
  maxLinks: 2
  holdWords: ''
  blockWords: ''
  refuseDuplicates: true
  floodSeconds: 15
}

@description('Memory of each Function App instance, in MB; 512 is enough for this app and bills a quarter of 2048 (infra/README.md).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 512

@description('Most on-demand instances each function group scales out to (the HTTP functions together, each queue trigger, the timer): a ceiling per group, not for the app. Documented range 1 to 1000.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Redundancy of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Most data Log Analytics takes in a day, in GB (-1: no cap).')
param logDailyQuotaGb int = 1

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Days a deleted key vault or secret stays recoverable; purge protection keeps a deleted vault\'s name this long.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 7

@description('Where the budget\'s and the alerts\' emails go; defaults to the owner\'s address. Empty: to the Owners of the resource group (budget) and of the subscription (alerts).')
param alertEmail string = blog.ownerEmail

@description('Monthly cost budget of the resource group, in the billing currency: emails at 80 % actual and 100 % forecast.')
@minValue(1)
param monthlyBudget int = 30

@description('First day (yyyy-MM-01) of the budget\'s first month, kept once per environment (the preprovision hook sets BUDGET_START_DATE): the Budgets API refuses to change it. Empty: the deployment\'s month.')
param budgetStartDate string = ''

@description('Leave to its default: the first day of the deployment\'s month, the budget\'s start when budgetStartDate is empty.')
param firstDayOfThisMonth string = utcNow('yyyy-MM-01')

@description('Percentage of failed function executions over 15 minutes above which the failure alert fires.')
@minValue(1)
@maxValue(100)
param failureRatePercent int = 5

@description('Fewest function executions in 15 minutes for the failure rate to count.')
@minValue(1)
param failureRateMinimumCount int = 20

@description('Bearer token of the admin API (Admin__ApiKey): at least 32 random characters.')
@minLength(32)
@secure()
param adminApiKey string

@description('Key that signs the links in emails (Notifications__LinkSecret): at least 32 random characters.')
@minLength(32)
@secure()
param linkSecret string

@description('SendGrid API key (SendGrid__ApiKey); empty: no emails are sent through SendGrid.')
@secure()
param sendGridApiKey string

@description('Where emails go (Email__Provider): sendgrid, smtp, or empty (SendGrid when its key is given, else email is off).')
param emailProvider '' | 'sendgrid' | 'smtp' = ''

@description('The SMTP server, when emailProvider is smtp (Smtp__*).')
param smtp smtpSettings = {
  host: ''
  port: 0
  username: ''
  security: 'Auto'
}

@description('SMTP password (Smtp__Password), kept in Key Vault like the SendGrid key; empty: none stored.')
@secure()
param smtpPassword string

@description('Akismet API key (Akismet__ApiKey); empty: only the built-in spam defences run.')
@secure()
param akismetApiKey string

// One token makes every name unique and stable for this subscription, group and environment.
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
  application: 'serverless-comments'
}

// What the app calls its queues and table (StorageOptions' defaults), and the queue trigger's
// poison-queue rule (StorageOptions.PoisonQueueOf).
var commentQueueName = 'comments'
var notificationQueueName = 'notifications'
var commentTableName = 'comments'
// The threads' public views (Storage__ThreadContainer): first pages kept as ready answers.
var threadContainerName = 'threads'
var poisonQueueSuffix = '-poison'

var functionAppName = 'func-comments-${resourceToken}'
var identityName = 'id-comments-${resourceToken}'
// Known before deployment, unlike the identity's principal id: it names the role assignments.
var identityId = resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', identityName)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-comments-${resourceToken}'
    applicationInsightsName: 'appi-comments-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    dailyQuotaGb: logDailyQuotaGb
    publisherPrincipalId: identity.outputs.principalId
    identityId: identityId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'stcomments${resourceToken}'
    location: location
    tags: tags
    skuName: storageSku
    deploymentContainerName: 'app-package'
    threadContainerName: threadContainerName
    commentTableName: commentTableName
    queueNames: [
      commentQueueName
      notificationQueueName
    ]
    poisonQueueSuffix: poisonQueueSuffix
    publicViews: publicViews
    allowedOrigins: allowedOrigins
    principalId: identity.outputs.principalId
    identityId: identityId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv-cmt-${resourceToken}'
    location: location
    tags: tags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    principalId: identity.outputs.principalId
    identityId: identityId
    adminApiKey: adminApiKey
    linkSecret: linkSecret
    sendGridApiKey: sendGridApiKey
    smtpPassword: smtpPassword
    akismetApiKey: akismetApiKey
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: 'plan-comments-${resourceToken}'
    name: functionAppName
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    allowedOrigins: allowedOrigins
  }
}

module appSettings 'modules/appsettings.bicep' = {
  name: 'appsettings'
  params: {
    functionAppName: functionAppName
    defaultHostName: functionApp.outputs.defaultHostName
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    commentQueueName: commentQueueName
    notificationQueueName: notificationQueueName
    commentTableName: storage.outputs.commentTableName
    threadContainerName: storage.outputs.threadContainerName
    widgetStaticBase: storage.outputs.publicViewsUrl
    moderationMode: moderationMode
    retentionDays: retentionDays
    blog: blog
    spam: spam
    adminApiKeyReference: keyVault.outputs.adminApiKeyReference
    linkSigningKeyReference: keyVault.outputs.linkSigningKeyReference
    sendGridApiKeyReference: empty(sendGridApiKey) ? '' : keyVault.outputs.sendGridApiKeyReference
    emailProvider: emailProvider
    smtp: smtp
    smtpKeyReference: empty(smtpPassword) ? '' : keyVault.outputs.smtpKeyReference
    akismetApiKeyReference: empty(akismetApiKey) ? '' : keyVault.outputs.akismetApiKeyReference
  }
}

module budget 'modules/budget.bicep' = {
  name: 'budget'
  params: {
    name: 'budget-comments-${resourceToken}'
    amount: monthlyBudget
    startDate: empty(budgetStartDate) ? firstDayOfThisMonth : budgetStartDate
    contactEmail: alertEmail
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    actionGroupName: 'ag-comments-${resourceToken}'
    poisonRuleName: 'alert-comments-poison-${resourceToken}'
    failureRuleName: 'alert-comments-failures-${resourceToken}'
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    email: alertEmail
    failureRatePercent: failureRatePercent
    failureRateMinimumCount: failureRateMinimumCount
  }
}

var apiUrl = 'https://${functionApp.outputs.defaultHostName}'
// With public views the widget's files come from storage too (the app puts them there at start-up).
var widgetUrl = publicViews ? '${storage.outputs.publicViewsUrl}/widget' : '${apiUrl}/api/widget'

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = apiUrl
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
@description('The public, read-only address of the thread views (Widget__StaticBase); empty when publicViews is off.')
output PUBLIC_VIEWS_URL string = storage.outputs.publicViewsUrl
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AZURE_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output WIDGET_SCRIPT_URL string = '${widgetUrl}/comments.js'
output COUNT_SCRIPT_URL string = '${widgetUrl}/count.js'
@description('Paste where the comments go on each post; data-thread defaults to the page\'s path.')
output WIDGET_SNIPPET string = '<div data-comments></div>\n<script src="${widgetUrl}/comments.js" defer></script>'
