import type { Prng } from "./Prng.js";

// Title parts: seniority words, specialties, roles and suffixes, combined the way postings read
// ("Senior Data Engineer - Data Flow", "Head of Legal", "VP Network Engineering", "CFO").
// Some carry quotes or backslashes on purpose: scraped titles do.

const SENIORITY = [
  "Intern",
  "Trainee",
  "Junior",
  "Jr.",
  "Associate",
  "Senior",
  "Sr.",
  "Lead",
  "Staff",
  "Principal",
  "Distinguished",
  "Graduate",
  "Entry Level",
  "Apprentice",
  "Assistant",
] as const;
const SPECIALTY = [
  "Software",
  "Data",
  "Backend",
  "Frontend",
  "Full Stack",
  "Machine Learning",
  "Cloud",
  "DevOps",
  "Network",
  "Electrical",
  "Mechanical",
  "Civil",
  "Tax",
  "Accounts Receivable",
  "Accounts Payable",
  "Legal",
  "Marketing",
  "Sales",
  "HR",
  "Security",
  "Mobile",
  "Embedded",
  "QA",
  "Clinical",
  "Payroll",
  "Supply Chain",
  "Customer Success",
  "Product",
  "Site Reliability",
  "Research",
  "Field Service",
  "Registered",
  "Financial",
  "Business Intelligence",
  "Platform",
  "iOS",
  "Android",
  "C\\C++",
] as const;
const ROLE = [
  "Engineer",
  "Developer",
  "Accountant",
  "Analyst",
  "Manager",
  "Designer",
  "Nurse",
  "Attorney",
  "Paralegal",
  "Bookkeeper",
  "Consultant",
  "Scientist",
  "Technician",
  "Specialist",
  "Coordinator",
  "Administrator",
  "Architect",
  "Recruiter",
  "Representative",
  "Account Executive",
  "Account Manager",
  "Project Manager",
  "Teacher",
  "Driver",
  "Pharmacist",
  "Electrician",
  "Mechanic",
  "Superintendent",
  "Lawyer",
  "Adviser",
  "Auditor",
  "Programmer",
  "Operator",
  "Officer",
  "Clerk",
  "Advocate",
] as const;
const LEADER = [
  "Head of",
  "Director of",
  "VP",
  "VP of",
  "Chief of",
  "Managing Director",
  "SVP",
  "Vice President,",
] as const;
const DEPARTMENT = [
  "Engineering",
  "Legal",
  "Sales",
  "Marketing",
  "Finance",
  "Accountants",
  "Network Engineering",
  "Engineering Backend Systems",
  "Treasury",
  "People",
  "Operations",
  "Product",
  "Data Science",
  "Customer Support",
  "Procurement",
  "Security",
  "Research",
  "Design",
  "Growth",
] as const;
const EXECUTIVE = [
  "CEO",
  "CFO",
  "COO",
  "CTO",
  "CIO",
  "CMO",
  "Chief Executive Officer",
  "Chief Financial Officer",
  "Chief Technology Officer",
  "Chief Operating Officer",
  "Chief People Officer",
  "Founder & CEO",
  "Attorney Partner",
  "General Counsel",
] as const;
const SUFFIX = [
  " - Data Flow",
  " (Remote)",
  ", Payments",
  " II",
  " III",
  " - Night Shift",
  " | Backend Systems",
  " (m/w/d)",
  " (f/m/d)",
  " - Contract",
  ", EMEA",
  " - Hybrid",
  ' "Rockstar"',
  " \\ On-Call",
  " (12 months)",
  " - São Paulo",
  " – Zürich",
  " / Team Lead",
] as const;

/** A job title drawn from the vocabulary; about 1 in 20 is a leader title, 1 in 60 an executive one. */
export function buildTitle(prng: Prng): string {
  const form = prng.float();
  let title: string;
  if (form < 1 / 60) {
    title = prng.pick(EXECUTIVE);
  } else if (form < 1 / 60 + 1 / 20) {
    title = `${prng.pick(LEADER)} ${prng.pick(DEPARTMENT)}`;
  } else {
    const seniority = prng.chance(0.55) ? `${prng.pick(SENIORITY)} ` : "";
    const specialty = prng.chance(0.7) ? `${prng.pick(SPECIALTY)} ` : "";
    title = `${seniority}${specialty}${prng.pick(ROLE)}`;
  }
  return prng.chance(0.3) ? title + prng.pick(SUFFIX) : title;
}
