import {
  isDatabaseError,
  isDocumentId,
  type ListPage,
  type StoredDocument,
} from '@gofannon/db-core';
import type { FastifyInstance } from 'fastify';
import { friendlyName } from '../collections/field-schemas';
import { errorResponses, idParamsSchema } from '../collections/http-schemas';
import { ApiError } from '../http/api-error';
import { now } from '../http/clock';
import { entityTag } from '../http/entity-tags';
import { findDocument } from '../http/find-document';

const deploymentSchema = {
  type: 'object',
  required: ['_id', '_rev', 'agentId'],
  additionalProperties: true,
  properties: { _id: { type: 'string' }, _rev: { type: 'string' }, agentId: { type: 'string' } },
} as const;

/**
 * Deploying an agent under a friendly name, race-free: the deployment document is created
 * only if the name is free (create-only write), so of two agents asking for one name at
 * once exactly one gets it and the other gets 409.
 */
export function registerAgentDeployments(app: FastifyInstance): void {
  app.post<{ Params: { id: string }; Body: { friendly_name?: string } }>(
    '/agents/:id/deploy',
    {
      schema: {
        tags: ['agents', 'deployments'],
        summary: 'Deploy an agent under a friendly name',
        description:
          "Creates deployments/{friendly_name} pointing at the agent (the agent's own friendly_name when the body gives none). 409 when another agent holds the name; deploying again under the same name is a no-op.",
        params: idParamsSchema,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { friendly_name: friendlyName },
        },
        response: {
          200: deploymentSchema,
          201: deploymentSchema,
          ...errorResponses(400, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const agentId = request.params.id;
      const agent = await app.db.get('agents', agentId);
      const name = request.body?.friendly_name ?? agent.friendly_name;
      if (typeof name !== 'string') {
        throw new ApiError(
          400,
          'invalid',
          'Give friendly_name in the body: the agent has none of its own',
        );
      }
      const { deployment, created } = await claimName(app, name, agentId);
      // The agent may have been deleted while the name was being claimed; its deletion
      // removes deployments it can see, and this removes the one it could not.
      if (created && !(await findDocument(app.db, 'agents', agentId))) {
        await deleteIfUnchanged(app, deployment);
        throw new ApiError(404, 'not_found', `agents/${agentId} was deleted meanwhile`);
      }
      return reply
        .code(created ? 201 : 200)
        .header('etag', entityTag(deployment._rev))
        .send(deployment);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/agents/:id/deploy',
    {
      schema: {
        tags: ['agents', 'deployments'],
        summary: "Remove an agent's deployment",
        params: idParamsSchema,
        response: { 204: { type: 'null' }, ...errorResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const removed = await removeDeploymentsOf(app, request.params.id);
      if (removed === 0) {
        throw new ApiError(404, 'not_found', `agents/${request.params.id} is not deployed`);
      }
      return reply.code(204).send();
    },
  );
}

async function claimName(
  app: FastifyInstance,
  name: string,
  agentId: string,
): Promise<{ deployment: StoredDocument; created: boolean }> {
  for (;;) {
    const time = now();
    const fields = { agentId, created_at: time, updated_at: time };
    try {
      const { rev } = await app.db.save('deployments', name, fields, { ifRev: null });
      return { deployment: { ...fields, _id: name, _rev: rev }, created: true };
    } catch (error) {
      if (!isDatabaseError(error) || error.status !== 409) throw error;
    }
    const holder = await findDocument(app.db, 'deployments', name);
    if (holder?.agentId === agentId) return { deployment: holder, created: false };
    if (holder) {
      throw new ApiError(409, 'conflict', `The name ${name} is deployed for another agent`);
    }
    // Undeployed between our attempt and our read: try to claim it again.
  }
}

/** Deployments deleted at once when an agent goes: an agent rarely has more than a few. */
const DEPLOYMENTS_PAGE = 100;

/**
 * Deletes every deployment of an agent; returns how many went. The deployments are found
 * by a query on `agentId` (indexed at start-up), a page at a time: the collection is never
 * read whole.
 */
export async function removeDeploymentsOf(app: FastifyInstance, agentId: string): Promise<number> {
  let removed = 0;
  let cursor: string | null = null;
  do {
    const page: ListPage = await app.db.find('deployments', {
      where: [['agentId', '==', agentId]],
      limit: DEPLOYMENTS_PAGE,
      cursor,
    });
    const outcomes = await Promise.all(
      page.documents.map((deployment) => deleteIfUnchanged(app, deployment)),
    );
    removed += outcomes.filter(Boolean).length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return removed;
}

async function deleteIfUnchanged(
  app: FastifyInstance,
  deployment: StoredDocument,
): Promise<boolean> {
  try {
    await app.db.delete('deployments', deployment._id, { ifRev: deployment._rev });
    return true;
  } catch (error) {
    // Gone already, or re-deployed for someone else since it was read: not ours to remove.
    if (isDatabaseError(error) && (error.status === 404 || error.status === 409)) return false;
    throw error;
  }
}

/** Adds `agentName` to listed deployments, with one batch read of their agents. */
export async function withAgentNames(
  app: FastifyInstance,
  deployments: StoredDocument[],
): Promise<StoredDocument[]> {
  // A deployment written by another client may name no agent, or an agent id no document
  // could have: it lists with agentName null, and never fails the page for everyone.
  const agentIds = [...new Set(deployments.map((d) => d.agentId).filter(isDocumentId))];
  const agents = agentIds.length > 0 ? await app.db.getMany('agents', agentIds) : [];
  const names = new Map(agentIds.map((id, index) => [id, agents[index]?.name ?? null]));
  return deployments.map((deployment) => ({
    ...deployment,
    agentName: names.get(deployment.agentId as string) ?? null,
  }));
}
