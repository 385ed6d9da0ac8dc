/** Port: where secret values come from when the environment does not hold them. */
export interface SecretSource {
  /** Returns the payload of a secret version resource name (`projects/p/secrets/s/versions/latest`). */
  access(resourceName: string): Promise<string>;
}
