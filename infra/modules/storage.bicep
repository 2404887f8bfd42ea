// The storage account of the Functions host (AzureWebJobsStorage) and of the app: shared-key
// access off (so no connection string or SAS can exist for it), TLS 1.2 or later, HTTPS only, and
// no public blob access, except, with publicViews, anonymous reads of the thread views' container
// alone (its blobs, never its listing), from the blog's origins in browsers (CORS, GET and HEAD). The template creates everything the app and the Flex Consumption
// deployment use: the deployment package container, the comment table, the comment and
// notification queues and their poison queues (where a queue trigger moves a message that failed
// maxDequeueCount times: "<queue>-poison").
//
// Roles of the app's identity, each as narrow as the Functions host allows:
// - Storage Blob Data Owner on the account: the host creates and leases its own containers
//   (azure-webjobs-hosts, azure-webjobs-secrets) at run time, and reads the deployment package.
// - Storage Table Data Contributor on the account: besides the comment table, the host writes its
//   diagnostic events to tables it creates monthly (AzureFunctionsDiagnosticEvents<yyyyMM>).
// - Storage Queue Data Contributor on each of the app's four queues, and nowhere else.

import { tagsType } from 'types.bicep'

@description('Name of the storage account (3 to 24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags tagsType

@description('Redundancy of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Blob container of the threads\' public views (Storage__ThreadContainer): first pages, chunks, counts and the widget\'s files, public fields only.')
param threadContainerName string

@description('Make the thread views\' container readable by anyone (blobs only, no listing), so page views read storage and run no function.')
param publicViews bool

@description('Origins whose pages may read the public views from a browser (Blob service CORS, GET and HEAD).')
param allowedOrigins string[]

@description('Table of comments (Storage__CommentTable).')
param commentTableName string

@description('Queues the app uses (Storage__CommentQueue, Storage__NotificationQueue).')
param queueNames string[]

@description('Suffix the queue trigger gives a queue\'s poison queue.')
param poisonQueueSuffix string

@description('Principal id of the app\'s identity.')
param principalId string

@description('Resource id of that identity: known before deployment, it names the role assignments.')
param identityId string

// Built-in roles.
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

var allQueueNames = flatten(map(queueNames, queue => [queue, '${queue}${poisonQueueSuffix}']))

resource account 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    // Only so that the one container below can be public; every other stays private.
    allowBlobPublicAccess: publicViews
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      services: {
        blob: { enabled: true, keyType: 'Account' }
        file: { enabled: true, keyType: 'Account' }
        queue: { enabled: true, keyType: 'Account' }
        table: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-09-01' = {
  parent: account
  name: 'default'
  properties: {
    // The widget on the blog's pages reads first pages and counts with fetch(): allowed for the
    // blog's origins, for reading only. Without public views, no browser reads blobs at all.
    cors: {
      corsRules: publicViews
        ? [
            {
              allowedOrigins: allowedOrigins
              allowedMethods: [
                'GET'
                'HEAD'
              ]
              allowedHeaders: [
                '*'
              ]
              exposedHeaders: [
                'ETag'
              ]
              maxAgeInSeconds: 3600
            }
          ]
        : []
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource threadContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: threadContainerName
  properties: {
    // Blob: anyone may read a blob whose name they know (a thread key is the SHA-256 of its
    // thread); nobody may list the container. The app writes only public fields here.
    publicAccess: publicViews ? 'Blob' : 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2026-09-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2026-09-01' = [
  for queue in allQueueNames: {
    parent: queueService
    name: queue
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-09-01' = {
  parent: account
  name: 'default'
}

resource commentTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2026-09-01' = {
  parent: tableService
  name: commentTableName
}

resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityId, storageBlobDataOwnerRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwnerRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityId, storageTableDataContributorRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for i in range(0, length(allQueueNames)): {
    name: guid(queues[i].id, identityId, storageQueueDataContributorRoleId)
    scope: queues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributorRoleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
output commentTableName string = commentTable.name
output threadContainerName string = threadContainer.name
output publicViewsUrl string = publicViews ? '${account.properties.primaryEndpoints.blob}${threadContainer.name}' : ''
