import { z } from 'zod';
import type { ProviderFactory } from '../registry.js';
import { engineOfModel } from './polly-engines.js';
import { createPollySend, type PollyConnection } from './polly-client.js';
import { createPollyProvider } from './polly-provider.js';
import type { PollySettings } from './polly-request.js';

/** LiteLLM's AWS fields this adapter does not implement: refused rather than ignored. */
const viaDefaultChain = (field: string): z.ZodOptional<z.ZodNever> =>
  z
    .never({
      error: `${field} is not supported here: leave it out and let the AWS SDK's default chain (AWS_PROFILE, AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, ...) find the credentials`,
    })
    .optional();

/**
 * The `litellm_params` an `aws_polly/<engine>` deployment reads, under LiteLLM's names.
 * Without keys the AWS SDK's default credential chain applies, as with LiteLLM's boto3.
 */
const pollyParamsSchema = z
  .looseObject({
    aws_access_key_id: z.string().min(1).optional(),
    aws_secret_access_key: z.string().min(1).optional(),
    aws_session_token: z.string().min(1).optional(),
    aws_region_name: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as "us-east-1"')
      .optional(),
    api_base: z.url().optional(),
    language_code: z.string().min(2).optional(),
    lexicon_names: z.array(z.string().min(1)).max(5, 'Polly applies at most 5 lexicons').optional(),
    sample_rate: z.never({ error: 'is chosen by the gateway for each response format; leave it out' }).optional(),
    aws_profile_name: viaDefaultChain('aws_profile_name'),
    aws_role_name: viaDefaultChain('aws_role_name'),
    aws_session_name: viaDefaultChain('aws_session_name'),
    aws_web_identity_token: viaDefaultChain('aws_web_identity_token'),
    aws_sts_endpoint: viaDefaultChain('aws_sts_endpoint'),
    aws_external_id: viaDefaultChain('aws_external_id'),
  })
  .refine((params) => (params.aws_access_key_id === undefined) === (params.aws_secret_access_key === undefined), {
    message: 'aws_access_key_id and aws_secret_access_key go together',
    path: ['aws_secret_access_key'],
  })
  .refine((params) => params.aws_session_token === undefined || params.aws_access_key_id !== undefined, {
    message: 'needs aws_access_key_id and aws_secret_access_key',
    path: ['aws_session_token'],
  });

export const awsPollyFactory: ProviderFactory = {
  id: 'aws_polly',
  create({ model, params }) {
    const parsed = pollyParamsSchema.parse(params);
    const settings: PollySettings = {
      engine: engineOfModel(model),
      ...(parsed.language_code === undefined ? {} : { languageCode: parsed.language_code }),
      ...(parsed.lexicon_names === undefined ? {} : { lexiconNames: parsed.lexicon_names }),
    };
    const connection: PollyConnection = {
      ...(parsed.aws_region_name === undefined ? {} : { region: parsed.aws_region_name }),
      ...(parsed.api_base === undefined ? {} : { endpoint: parsed.api_base }),
      ...(parsed.aws_access_key_id === undefined || parsed.aws_secret_access_key === undefined
        ? {}
        : {
            credentials: {
              accessKeyId: parsed.aws_access_key_id,
              secretAccessKey: parsed.aws_secret_access_key,
              ...(parsed.aws_session_token === undefined ? {} : { sessionToken: parsed.aws_session_token }),
            },
          }),
    };
    return createPollyProvider({ settings, send: createPollySend(connection) });
  },
};
