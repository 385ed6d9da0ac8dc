/** Contact details the customer typed (never the assistant's or the shop's own). */
export interface ExtractedContact {
  /** Lower-cased, de-duplicated, in order of first mention. */
  emails: string[];
  /** E.164 (`+14085550142`) where the country is known, de-duplicated, in order of first mention. */
  phones: string[];
}

export const hasContact = (contact: ExtractedContact): boolean => contact.emails.length > 0 || contact.phones.length > 0;
