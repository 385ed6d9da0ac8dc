import { z } from 'zod';

/**
 * The lead service's AI summary of a conversation, as OpenAI Structured Outputs returns it (the
 * descriptions go to the model in the JSON schema). Every field is required and nullable where
 * unknown, as Structured Outputs requires. The OpenAI stand-in answers and validates against it.
 */
export const leadSummarySchema = z.object({
  handoff_ready: z.boolean().describe('true when the shop has enough to call the customer back: a contact and a concrete need'),
  handoff_reason: z.string().describe('one sentence: why ready or not'),
  missing_info: z.array(z.string()).describe('what the shop still needs before calling, e.g. "phone or email", "vehicle year/make/model"'),
  customer_name: z.string().nullable().describe('the name the customer gave, or null'),
  internal_summary: z.string().describe('2-4 sentences for the shop, in the shop language'),
  project_details: z.string().nullable().describe('the job: what, which part, materials, condition'),
  vehicle: z.string().nullable().describe('year make model (trim) if given, else null'),
  next_steps: z.array(z.string()).describe('what the shop should do next, most important first'),
  follow_up_questions: z.array(z.string()).describe('questions to ask the customer on the call'),
  call_script_prompts: z.array(z.string()).length(3).describe('exactly three short prompts for the phone call'),
  customer_language: z.string().describe('BCP 47 tag of the language the customer wrote in, e.g. "es"'),
  outreach_message: z.string().describe('one paragraph the shop can send the customer, in the customer language'),
});

export type LeadSummary = z.infer<typeof leadSummarySchema>;
